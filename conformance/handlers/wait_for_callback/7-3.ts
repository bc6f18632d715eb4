// 7-3: waitForCallback with only an inline submitter and no name.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCallback(async (callbackId) => {
    void callbackId;
  });
});
