// 7-8: a child context named "wrapper" holds a waitForCallback named by the input; the child
// returns the callback's result and the handler returns it.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext("wrapper", async (child) =>
    child.waitForCallback(event, async (callbackId) => {
      void callbackId;
    }),
  );
});
