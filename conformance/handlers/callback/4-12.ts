// 4-12: wait for a callback named by the input, then a 2-second wait, then return the
// callback's result (three invocations).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event);
  const value = await result;
  await context.wait({ seconds: 2 });
  return value;
});
