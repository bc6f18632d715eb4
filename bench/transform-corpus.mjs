// Generated durable handler files for `npm run bench:transform`: realistic orchestration code
// (steps, waits, child contexts, map, callbacks, clock and randomness to rewrite), 60-120 lines each.

const RUNTIMES = ['import { withDurableExecution } from "@aws/durable-execution-sdk-js";', 'import { withDurableExecution } from "replayable";'];

export function handlerFile(index) {
  const runtime = RUNTIMES[index % 2];
  const name = `workflow${index}`;
  const lines = [
    runtime,
    'import type { Order, Customer } from "./types.js";',
    "",
    `declare function loadCustomer${index}(id: string): Promise<Customer>;`,
    `declare function chargeCard${index}(customer: Customer, amount: number): Promise<string>;`,
    `declare function reserve${index}(sku: string): Promise<boolean>;`,
    `declare function notify${index}(to: string, message: string): Promise<void>;`,
    "",
    `function total${index}(order: Order): number {`,
    "  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);",
    "}",
    "",
    `export const ${name} = withDurableExecution(async (event: Order, context) => {`,
    "  const startedAt = Date.now();",
    `  const customer = await context.step(async () => loadCustomer${index}(event.customerId));`,
    "  const requestId = crypto.randomUUID();",
    `  const amount = total${index}(event);`,
    "  if (amount > 1000) {",
    "    const [approval, callbackId] = await context.createCallback({ timeout: { hours: 24 } });",
    `    await context.step(async () => notify${index}(customer.email, callbackId));`,
    "    const decision = await approval;",
    '    if (decision !== "approved") return { status: "rejected", requestId };',
    "  }",
    "  const reservations = await context.map(event.items, async (itemContext, item) => {",
    `    const reserved = await itemContext.step(async () => reserve${index}(item.sku));`,
    "    if (!reserved) await itemContext.wait({ minutes: 5 });",
    "    return reserved;",
    "  });",
    "  const receipt = await context.runInChildContext(async (payment) => {",
    `    const charge = await payment.step(async () => chargeCard${index}(customer, amount));`,
    "    const jitter = Math.floor(Math.random() * 1000);",
    "    await payment.wait({ seconds: 1 + Math.round(jitter / 1000) });",
    "    return charge;",
    "  });",
  ];
  for (let step = 0; step < 4 + (index % 5); step++) {
    lines.push(`  const audit${step} = await context.step(async () => {`);
    lines.push(`    const message = \`step ${step} of \${event.orderId}\`;`);
    lines.push(`    await notify${index}("audit@example.com", message);`);
    lines.push("    return message.length;");
    lines.push("  });");
  }
  lines.push(
    "  const finishedAt = new Date();",
    '  await context.step("explicit-summary", async () => ({ receipt, reservations: reservations.getResults().length }));',
    "  return { status: \"done\", receipt, requestId, elapsed: finishedAt.getTime() - startedAt };",
    "});",
    "",
  );
  return lines.join("\n");
}

export const TYPES_FILE = [
  "export interface Item { readonly sku: string; readonly price: number; readonly quantity: number }",
  "export interface Order { readonly orderId: string; readonly customerId: string; readonly items: Item[] }",
  "export interface Customer { readonly id: string; readonly email: string }",
  "",
].join("\n");
