// The same order flow on replayable's runtime: run by `replayable serve` in a worker process,
// it answers Lambda's durable invocation events and checkpoints over HTTP through its default
// LambdaClient (runtime/lambda), as a deployed function would.
import { withDurableExecution, type DurableContext } from "replayable";

export const handler = withDurableExecution(async (event: { orderId: string; cents: number; waitSeconds?: number }, context: DurableContext) => {
  const charged = await context.step("charge", async () => ({ orderId: event.orderId, cents: event.cents }));
  await context.wait("settle", { seconds: event.waitSeconds ?? 1 });
  const approval = await context.waitForCallback<string>("approval", async (callbackId) => {
    context.logger.info(`approve with ${callbackId}`);
  }, { timeout: { minutes: 5 } });
  return { charged, approval: JSON.parse(approval), receipt: context.uuid().length };
});
