// 4-14: a callback named by the input with a 3-second timeout times out; the handler catches
// the error, waits 2 seconds, and returns.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event, { timeout: { seconds: 3 } });
  let message: string;
  try {
    message = `callback succeeded: ${await result}`;
  } catch (error) {
    message = `callback timed out: ${(error as Error).message}`;
  }
  await context.wait({ seconds: 2 });
  return message;
});
