// 7-12: waitForCallback named by the input with a 5-second heartbeat timeout; no heartbeat
// comes, it times out and the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.waitForCallback(
    event,
    async (callbackId) => {
      void callbackId;
    },
    { heartbeatTimeout: { seconds: 5 } },
  );
});
