// 4-2: a callback named "approval"; the handler returns its result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const [result] = await context.createCallback("approval");
  return await result;
});
