// 7-2: waitForCallback named "approval"; the handler returns the callback's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCallback("approval", async (callbackId) => {
    void callbackId;
  });
});
