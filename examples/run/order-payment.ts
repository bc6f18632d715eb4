/**
 * The payment flow `npm run demo` runs: charge the card, wait out the settlement window,
 * send the receipt.
 *
 *   npx replayable run examples/run/order-payment.ts --id order-1 --input '{"orderId":"o-1","amountCents":4200}'
 *
 * Kill it during the wait (Ctrl-C twice, or kill -9) and run the same command again: the
 * execution continues from its checkpoint, and charges.log still holds one charge.
 */
import { appendFile } from "node:fs/promises";
import { withDurableExecution, type DurableContext } from "replayable";

interface Order {
  orderId: string;
  amountCents: number;
  /** Length of the settlement wait in seconds (default 5). */
  settlementSeconds?: number;
  /** Where the stand-in payment provider logs charges (default $CHARGE_LOG, else charges.log). */
  chargeLog?: string;
}

/** A stand-in for the payment provider: every call is one charge, one line in the charge log. */
async function chargeCard(order: Order, idempotencyKey: string): Promise<{ chargeId: string; amountCents: number }> {
  const log = order.chargeLog ?? process.env["CHARGE_LOG"] ?? "charges.log";
  await appendFile(log, `${new Date().toISOString()} charged ${order.amountCents} cents for order ${order.orderId} (key ${idempotencyKey})\n`);
  return { chargeId: `ch_${idempotencyKey.slice(0, 8)}`, amountCents: order.amountCents };
}

async function sendReceipt(order: Order, chargeId: string): Promise<string> {
  return `Order ${order.orderId}: paid ${(order.amountCents / 100).toFixed(2)} (charge ${chargeId})`;
}

export const orderPayment = withDurableExecution(async (order: Order, context: DurableContext) => {
  // Drawn once and recorded: every replay, and a retry of the charge, sees the same key.
  const idempotencyKey = context.uuid();

  // A step runs once; after a crash or a wait, replay hands back its recorded result.
  const charge = await context.step("charge", async () => chargeCard(order, idempotencyKey));

  // The function suspends here; nothing runs (or is billed) until the wait ends, even
  // across a restart of the process.
  await context.wait("settlement", { seconds: order.settlementSeconds ?? 5 });

  const receipt = await context.step("receipt", async () => sendReceipt(order, charge.chargeId));
  context.logger.info(receipt);
  return { orderId: order.orderId, chargeId: charge.chargeId, receipt };
});
