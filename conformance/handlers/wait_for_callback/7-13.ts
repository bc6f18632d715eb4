// 7-13: waitForCallback named by the input with a 10-second heartbeat timeout; the outside
// system sends a heartbeat, then the result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.waitForCallback(
    event,
    async (callbackId) => {
      void callbackId;
    },
    { heartbeatTimeout: { seconds: 10 } },
  );
});
