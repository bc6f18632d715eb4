// 4-11: create a callback named by the input with a 3-second timeout, wait 6 seconds, then
// wait for the callback: it timed out during the wait, so the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 3 } });
  await context.wait({ seconds: 6 });
  return await result;
});
