// 4-6: a callback named by the input; the outside system reports a failure, which the handler
// does not catch, so the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event);
  return await result;
});
