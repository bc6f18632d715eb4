// 4-7: create a callback named by the input, run a step, then wait for the callback; it fails
// and the handler does not catch it.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event);
  await context.step(async () => "between");
  return await result;
});
