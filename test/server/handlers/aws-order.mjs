// An order flow written with the official SDK, unchanged: run by `replayable serve` in a
// worker process, it checkpoints through its default LambdaClient over HTTP.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const charged = await context.step("charge", async () => ({ orderId: event.orderId, cents: event.cents }));
  await context.wait("settle", { seconds: event.waitSeconds ?? 1 });
  const approval = await context.waitForCallback("approval", async (callbackId) => {
    await context.logger.info(`approve with ${callbackId}`);
  }, { timeout: { minutes: 5 } });
  return { charged, approval: JSON.parse(approval), pid: undefined };
});
