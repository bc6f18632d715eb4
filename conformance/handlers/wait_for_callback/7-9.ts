// 7-9: two waitForCallback operations in turn, "first" and "second"; the handler returns the
// second one's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.waitForCallback("first", async (callbackId) => {
    void callbackId;
  });
  return await context.waitForCallback("second", async (callbackId) => {
    void callbackId;
  });
});
