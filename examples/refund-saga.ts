/**
 * A refund saga with compensation, written against replayable. This one is correct:
 * the linter reports nothing here. Compare it with the other examples.
 *
 * Every side effect is a step; the handler body only decides what to do next from the
 * input and from step results, which replay returns unchanged. Code outside the handler
 * (the HTTP helper) is ordinary code: it is checked only where orchestration code calls it.
 */
import { withDurableExecution, type DurableContext } from "replayable";

const LEDGER_API = "https://ledger.internal.example.com";

interface RefundRequest {
  orderId: string;
  amountCents: number;
  reason: string;
}

/** Ordinary code: runs only inside steps here, so it may read the clock and the network. */
async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${LEDGER_API}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-sent-at": new Date().toISOString() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} failed with ${response.status}`);
  return (await response.json()) as T;
}

export const refundOrder = withDurableExecution(async (request: RefundRequest, context: DurableContext) => {
  // The recorded clock and randomness of replayable: the same on every replay.
  const requestedAt = context.now();
  const refundId = context.uuid();

  const hold = await context.step("hold-funds", async () =>
    postJson<{ holdId: string }>("/holds", { orderId: request.orderId, amountCents: request.amountCents, refundId }),
  );

  try {
    await context.step("refund-payment", async () =>
      postJson<{ refunded: true }>("/refunds", { holdId: hold.holdId, reason: request.reason }),
    );
  } catch (error) {
    // Compensation is a step too, so it runs once even if the handler replays.
    await context.step("release-hold", async () => postJson("/holds/release", { holdId: hold.holdId }));
    context.logger.error("refund failed, hold released", { orderId: request.orderId, error: String(error) });
    throw error;
  }

  // A durable wait instead of a timer: the function suspends and resumes later.
  await context.wait("cool-off", { hours: 1 });

  // A qualified invoke target: the alias pins the version for the whole execution.
  await context.invoke("notify-customer", "customer-notifier:prod", { orderId: request.orderId, refundId });

  context.logger.info("refund complete", { orderId: request.orderId, refundId });
  return { refundId, requestedAt, holdId: hold.holdId };
});
