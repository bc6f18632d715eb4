// 7-6: waitForCallback named by the input; the outside system reports a failure, the handler
// catches it and returns "recovered".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  try {
    return await context.waitForCallback(event, async (callbackId) => {
      void callbackId;
    });
  } catch {
    return "recovered";
  }
});
