import rule from "../../../eslint-plugin/rules/no-nested-durable-operation.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const FIX = "move it out of the step into orchestration code, or use context.runInChildContext(...) to group operations";

ruleTester.run("no-nested-durable-operation", rule, {
  valid: [
    // Operations one after the other in orchestration code.
    awsHandler(`const user = await context.step("load-user", async () => ({ id: event.userId }));
  await context.wait({ minutes: 5 });
  await context.step("welcome", async () => user.id);`),
    // Grouping operations is what child contexts are for: their bodies are orchestration code.
    replayableHandler(`await context.runInChildContext("billing", async (child: any) => {
    const charge = await child.step("charge", async () => 1);
    await child.wait({ seconds: 10 });
    return child.step("receipt", async () => charge);
  });`),
    // Map items and parallel branches are child contexts too.
    awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => {
    await itemContext.step("reserve", async () => item);
    return itemContext.step("ship", async () => item);
  });
  await context.parallel([async (branch: any) => branch.step("a", async () => 1), async (branch: any) => branch.wait({ seconds: 1 })]);`),
    // A step function may use its own step context (logger, attempt): that is not a durable context.
    awsHandler(`await context.step("charge", async (stepContext: any) => {
    stepContext.logger.info("charging", { orderId: event.orderId });
    return 1;
  });`),
    // A helper that runs operations, called from orchestration code, is fine.
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function chargeThenWait(ctx: any) {
  await ctx.step("charge", async () => 1);
  await ctx.wait({ seconds: 5 });
}
export const handler = withDurableExecution(async (event: any, context: any) => chargeThenWait(context));`,
    // Something that merely has a step method is not a durable context.
    awsHandler(`await context.step("simulate", async () => {
    const machine = { step: (n: number) => n + 1 };
    return machine.step(1);
  });`),
    // Outside any durable handler nothing is reported.
    `export async function plain(ctx: any) { await ctx.step("outer", async () => ctx.step("inner", async () => 1)); }`,
  ],
  invalid: [
    {
      // A step inside a step: the inner one is not a checkpoint, and a retry of the outer step issues it again.
      code: awsHandler(`await context.step("checkout", async () => {
    const charge = await context.step("charge", async () => 1);
    return charge;
  });`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 26,
          endColumn: 63,
          data: { source: 'context.step("charge", ...)', where: "", problem: "", fix: FIX },
        },
      ],
    },
    {
      // Every kind of step code: a waitForCondition check and a waitForCallback submitter.
      code: awsHandler(`await context.waitForCondition("poll", async (state: any) => {
    await context.wait({ seconds: 30 });
    return state;
  }, { initialState: {}, waitStrategy: () => ({ shouldContinue: false }) });
  await context.waitForCallback("approval", async (callbackId: string) => {
    await context.invoke("notify", "notify:prod", { callbackId });
  });`),
      errors: [
        { messageId: "found", line: 5, column: 11, data: { source: "context.wait(...)", where: "", problem: "", fix: FIX } },
        { messageId: "found", line: 9, column: 11, data: { source: 'context.invoke("notify", ...)', where: "", problem: "", fix: FIX } },
      ],
    },
    {
      // A child context started inside a step is still an operation inside step code.
      code: awsHandler(`await context.step("group", async () => context.runInChildContext("inner", async (child: any) => child.step("a", async () => 1)));`),
      errors: [{ messageId: "found", line: 4, column: 41 }],
    },
    {
      // Inside a step of a child context, the child's operations are nested too.
      code: awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    await child.step("charge", async () => child.wait({ seconds: 1 }));
  });`),
      errors: [{ messageId: "found", line: 5, column: 44, data: { source: "child.wait(...)", where: "", problem: "", fix: FIX } }],
    },
    {
      // In a callback inside the step: still step code.
      code: awsHandler(`await context.step("ship-all", async () => {
    for (const item of event.items) {
      await context.step(\`ship-\${item.id}\`, async () => item);
    }
  });`),
      errors: [{ messageId: "found", line: 6, column: 13 }],
    },
    {
      // A step function passed by name.
      code: awsHandler(`const chargeAndWait = async () => {
    await context.wait({ seconds: 5 });
    return 1;
  };
  await context.step("charge", chargeAndWait);`),
      errors: [{ messageId: "found", line: 5, column: 11 }],
    },
    {
      // Through helpers that receive the context: the reason chain leads back to the step.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function record(ctx: any, entry: string) {
  await ctx.step("record", async () => entry);
}
async function audit(ctx: any, orderId: string) {
  await record(ctx, orderId);
}
export const handler = withDurableExecution(async (event: any, context: any) => {
  await context.step("charge", async () => {
    await audit(context, event.orderId);
    return 1;
  });
});`,
      filename: "order.ts",
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 9,
          data: {
            source: 'ctx.step("record", ...)',
            where: " in record(), called from audit() at order.ts:6, called from step code at order.ts:10",
            problem: "",
            fix: FIX,
          },
        },
      ],
    },
    {
      // A function with a DurableContext parameter is a handler, from either package.
      code: `import type { DurableContext } from "@aws/durable-execution-sdk-js";
export async function settle(ctx: DurableContext) {
  return ctx.step("settle", async () => ctx.invoke("ledger", "ledger:prod", {}));
}`,
      errors: [{ messageId: "found", line: 3, column: 41, data: { source: 'ctx.invoke("ledger", ...)', where: "", problem: "", fix: FIX } }],
    },
    {
      // Plain JavaScript.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  return context.step("outer", async () => {
    await context.wait({ seconds: 1 });
  });
});`,
      filename: "handler.js",
      errors: [{ messageId: "found", line: 4, column: 11 }],
    },
  ],
});
