// 7-14: waitForCallback named by the input with a 3-second timeout; nobody answers, the
// handler catches the timeout and returns "timed-out-handled".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  try {
    return await context.waitForCallback(
      event,
      async (callbackId) => {
        void callbackId;
      },
      { timeout: { seconds: 3 } },
    );
  } catch {
    return "timed-out-handled";
  }
});
