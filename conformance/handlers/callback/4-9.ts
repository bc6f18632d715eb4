// 4-9: create a callback named by the input, wait 5 seconds (the callback completes during
// the wait), then return the callback's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event);
  await context.wait({ seconds: 5 });
  return await result;
});
