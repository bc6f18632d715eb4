// A runnable handler written without step names and with clock and randomness in
// orchestration code: only correct once the transformer has named and rewritten it.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Order {
  readonly id: string;
  readonly items: { readonly sku: string; readonly quantity: number }[];
}

async function reserveStock(sku: string, quantity: number): Promise<string> {
  return `${sku}x${quantity}`;
}

export const orderWorkflow = withDurableExecution(async (event: Order, context: DurableContext) => {
  const startedAt = Date.now();
  const requestId = crypto.randomUUID();
  const total = await context.step(async () => event.items.reduce((sum, item) => sum + item.quantity, 0));
  const reserved = await context.map(event.items, async (itemContext, item) => itemContext.step(async () => reserveStock(item.sku, item.quantity)));
  await context.wait({ seconds: 30 });
  const roll = Math.random();
  const receipt = await context.runInChildContext(async (payment) => {
    const charged = await payment.step(async () => `charged ${total} for ${event.id}`);
    await payment.wait({ seconds: 5 });
    return charged;
  });
  const audit = await context.step(async () => ({ requestId, roll, startedAt }));
  return {
    total,
    reserved: reserved.getResults(),
    receipt,
    roll: roll >= 0 && roll < 1,
    requestIdKept: audit.requestId === requestId && audit.roll === roll,
    clock: typeof startedAt === "number" && audit.startedAt === startedAt,
  };
});
