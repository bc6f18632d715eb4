// 7-4: waitForCallback named by the input; the outside system reports a failure, which the
// handler does not catch, so the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.waitForCallback(event, async (callbackId) => {
    void callbackId;
  });
});
