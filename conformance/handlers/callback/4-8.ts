// 4-8: create a callback named by the input with a 5-second timeout, run a step, then wait for
// the callback; it times out and the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 5 } });
  await context.step(async () => "between");
  return await result;
});
