// 4-3: a callback named by the input with a 5-second timeout; nobody answers, it times out
// and the execution fails with a CallbackError.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 5 } });
  return await result;
});
