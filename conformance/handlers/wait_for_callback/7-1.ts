// 7-1: waitForCallback named by the input; the submitter receives the callback id and does
// nothing durable; the handler returns the callback's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.waitForCallback(event, async (callbackId) => {
    void callbackId; // handed to the outside system, which answers through the runner
  });
});
