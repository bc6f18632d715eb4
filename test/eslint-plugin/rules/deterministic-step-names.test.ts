import rule from "../../../eslint-plugin/rules/deterministic-step-names.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const UNSTABLE_FIX = "build names only from the input, loop indexes and step results";
const DUPLICATE_FIX = "give each operation its own name";
const unstable = (source: string, from: string, where = "") => ({
  source,
  where,
  problem: `is named from ${from}, which differs on replay, so the recorded result is never found`,
  fix: UNSTABLE_FIX,
});
const duplicate = (source: string, name: string, line: number, where = "") => ({
  source,
  where,
  problem: `reuses the name "${name}" of the operation at line ${line} in the same context, so the two share an identity`,
  fix: DUPLICATE_FIX,
});

ruleTester.run("deterministic-step-names", rule, {
  valid: [
    // Names built from the input, loop indexes and step results are the same on every replay.
    awsHandler(`await context.step(\`order-\${event.orderId}\`, async () => 1);
  const user = await context.step("load-user", async () => ({ id: "u-1" }));
  await context.step(\`greet-\${user.id}\`, async () => 1);
  for (let i = 0; i < event.parts; i++) await context.step(\`part-\${i}\`, async () => i);
  for (const item of event.items) await context.step("ship-" + item.sku, async () => item);`),
    // Clock and randomness inside the step function are recorded; only the name must be stable.
    awsHandler(`await context.step("stamp", async () => \`\${Date.now()}-\${Math.random()}\`);`),
    // The same name on mutually exclusive paths: only one of them runs in an execution.
    awsHandler(`if (event.express) {
    await context.step("deliver", async () => "express");
  } else {
    await context.step("deliver", async () => "standard");
  }
  const label = event.gift ? await context.step("label", async () => "gift") : await context.step("label", async () => "plain");
  if (event.vip) {
    await context.step("notify", async () => "vip");
    return label;
  }
  await context.step("notify", async () => "regular");
  switch (event.kind) {
    case "refund":
      await context.step("route", async () => "refunds");
      break;
    case "exchange":
      await context.step("route", async () => "exchanges");
      break;
  }`),
    // Each child context, map item and parallel branch has its own names.
    replayableHandler(`await context.step("ship", async () => 1);
  await context.runInChildContext("retry-shipping", async (child: any) => child.step("ship", async () => 2));
  await context.map(event.items, async (itemContext: any, item: any) => itemContext.step("process", async () => item));
  await context.parallel([async (branch: any) => branch.step("work", async () => 1), async (branch: any) => branch.step("work", async () => 2)]);`),
    // Two handlers in one file: two executions, two sets of names.
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const charge = withDurableExecution(async (event: any, context: any) => context.step("run", async () => 1));
export const refund = withDurableExecution(async (event: any, context: any) => context.step("run", async () => 2));`,
    // Unnamed operations get stable names from the transformer, not from the user.
    awsHandler(`await context.step(async () => 1);
  await context.step(async () => 2);`),
    // Outside any durable handler nothing is reported.
    `export async function plain(ctx: any) { await ctx.step(\`x-\${Date.now()}\`, async () => 1); await ctx.step("a", async () => 1); await ctx.step("a", async () => 2); }`,
  ],
  invalid: [
    {
      // A clock in the name: on replay the name differs, so the recorded result is never found.
      code: awsHandler(`await context.step(\`charge-\${Date.now()}\`, async () => 1);`),
      errors: [{ messageId: "found", line: 4, column: 20, endColumn: 42, data: unstable("context.step(...)", "Date.now()") }],
    },
    {
      // A value computed in the handler (or at module level, once per container) is followed to its source.
      code: awsHandler(`const runId = randomUUID();
  await context.step(\`run-\${runId}\`, async () => 1);
  await context.step("boot-" + BOOTED_AT, async () => 1);`, `import { randomUUID } from "node:crypto";
const BOOTED_AT = Date.now();`),
      errors: [
        { messageId: "found", line: 6, column: 22, data: unstable("context.step(...)", "runId") },
        { messageId: "found", line: 7, column: 22, data: unstable("context.step(...)", "BOOTED_AT") },
      ],
    },
    {
      // Randomness, the environment, invocation data and new Date(), on every operation type.
      code: awsHandler(`await context.wait(\`pause-\${Math.random()}\`, { seconds: 1 });
  await context.step(\`deploy-\${process.env.STAGE}\`, async () => 1);
  await context.invoke(\`notify-\${context.lambdaContext.awsRequestId}\`, "notify:prod", {});
  await context.runInChildContext(new Date().toISOString(), async (child: any) => 1);`),
      errors: [
        { messageId: "found", line: 4, column: 20, data: unstable("context.wait(...)", "Math.random()") },
        { messageId: "found", line: 5, column: 22, data: unstable("context.step(...)", "process.env") },
        { messageId: "found", line: 6, column: 24, data: unstable("context.invoke(...)", "context.lambdaContext.awsRequestId") },
        { messageId: "found", line: 7, column: 35, data: unstable("context.runInChildContext(...)", "new Date()") },
      ],
    },
    {
      // The same literal name twice in one context: the two operations share an identity.
      code: awsHandler(`await context.step("ship", async () => "parcel-1");
  await context.step("ship", async () => "parcel-2");
  await context.wait("pause", { seconds: 1 });
  await context.wait("pause", { seconds: 2 });`),
      errors: [
        { messageId: "found", line: 5, column: 22, endColumn: 28, data: duplicate('context.step("ship", ...)', "ship", 4) },
        { messageId: "found", line: 7, column: 22, data: duplicate('context.wait("pause", ...)', "pause", 6) },
      ],
    },
    {
      // Names are shared across operation types: a step named like a child context collides with it.
      code: replayableHandler(`await context.runInChildContext("billing", async (child: any) => child.step("charge", async () => 1));
  await context.step("billing", async () => 2);`),
      errors: [{ messageId: "found", line: 5, column: 22, data: duplicate('context.step("billing", ...)', "billing", 4) }],
    },
    {
      // A fallback in catch runs after the first attempt was recorded: both run in one execution.
      code: awsHandler(`try {
    await context.step("pay", async () => "card");
  } catch (error) {
    await context.step("pay", async () => "invoice");
    throw error;
  }`),
      errors: [{ messageId: "found", line: 7, column: 24, data: duplicate('context.step("pay", ...)', "pay", 5) }],
    },
    {
      // Inside one child context, and inside a helper (with the reason chain).
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function label(ctx: any, order: any) {
  await ctx.step("print", async () => order.id);
  await ctx.step("print", async () => order.returnId);
}
export const fulfil = withDurableExecution(async (event: any, context: any) => {
  await context.runInChildContext("pack", async (child: any) => {
    await child.step("box", async () => 1);
    await child.step("box", async () => 2);
  });
  await label(context, event);
});`,
      filename: "fulfil.ts",
      errors: [
        { messageId: "found", line: 4, column: 18, data: duplicate('ctx.step("print", ...)', "print", 3, " in label(), called from handler fulfil at fulfil.ts:11") },
        { messageId: "found", line: 9, column: 22, data: duplicate('child.step("box", ...)', "box", 8) },
      ],
    },
    {
      // Plain JavaScript.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  await context.step(\`import-\${Date.now()}\`, async () => event.file);
  await context.step("notify", async () => 1);
  await context.step("notify", async () => 2);
});`,
      filename: "handler.js",
      errors: [
        { messageId: "found", line: 3, column: 22, data: unstable("context.step(...)", "Date.now()") },
        { messageId: "found", line: 5, column: 22, data: duplicate('context.step("notify", ...)', "notify", 4) },
      ],
    },
  ],
});
