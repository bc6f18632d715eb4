// 4-4: a callback named by the input with a 5-second heartbeat timeout; no heartbeat comes,
// it times out and the execution fails.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback(event, { heartbeatTimeout: { seconds: 5 } });
  return await result;
});
