// 4-13: a callback named by the input fails; the handler catches the error and keeps its
// message, waits 2 seconds, and returns the message.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event);
  let message: string;
  try {
    message = `callback succeeded: ${await result}`;
  } catch (error) {
    message = `callback failed: ${(error as Error).message}`;
  }
  await context.wait({ seconds: 2 });
  return message;
});
