import { describe } from "vitest";
import rule from "../../../eslint-plugin/rules/no-floating-durable-operation.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const FIX = "await it, return it, or pass it to context.promise.all(...)";

ruleTester.run("no-floating-durable-operation", rule, {
  valid: [
    // Awaited: the handler goes on only once the operation is recorded.
    awsHandler(`await context.step("charge", async () => 1);
  await context.wait({ seconds: 30 });`),
    // Returned: the runtime awaits the handler's result.
    replayableHandler(`return context.step("charge", async () => 1);`),
    `import { withDurableExecution } from "replayable";
export const handler = withDurableExecution(async (event: any, context: any) => context.invoke("price", "pricing:prod", event));`,
    // Handed to a durable combinator, which records the combination and is itself awaited.
    awsHandler(`await context.promise.all([context.step("a", async () => 1), context.step("b", async () => 2)]);`),
    awsHandler(`const fastest = await context.promise.race("first", [context.invoke("eu", "quote-eu:prod", event), context.invoke("us", "quote-us:prod", event)]);`),
    // Started first and awaited later: the variable is the handle.
    awsHandler(`const reservation = context.step("reserve", async () => 1);
  await context.step("notify", async () => 2);
  await reservation;`),
    // A .then chain that is awaited as a whole.
    awsHandler(`const id = await context.step("user", async () => ({ id: 1 })).then((user: any) => user.id);`),
    // createCallback is awaited; the callback promise it hands back is awaited later.
    awsHandler(`const [callback, callbackId] = await context.createCallback("approval", { timeout: { hours: 1 } });
  await context.step("send", async () => callbackId);
  return await callback;`),
    // A map item function returns its operation to the map.
    awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => itemContext.step("ship", async () => item));`),
    // Inside step code a promise left alone is the step's business: it holds no durable operation.
    awsHandler(`await context.step("warm", async () => { fetch(event.url); return 1; });`),
    // Something that merely has a step method is not a durable context.
    awsHandler(`const machine = { step: async (name: string) => name };
  machine.step("tick");`),
    // Outside any durable handler nothing is reported.
    `export function plain(ctx: any) { ctx.step("x", async () => 1); }`,
    `import { withDurableExecution } from "some-other-lib";
export const handler = withDurableExecution(async (event: any, context: any) => { context.step("x", async () => 1); });`,
  ],
  invalid: [
    {
      // An expression statement drops the operation's promise.
      code: awsHandler(`context.step("charge", async () => 1);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 1,
          endColumn: 38,
          data: { source: 'context.step("charge", ...)', where: "", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: awsHandler(`await context.step("charge", async () => 1);`) }],
        },
      ],
    },
    {
      // Every operation type, from either import source.
      code: replayableHandler(`await context.step("reserve", async () => 1);
  context.wait({ seconds: 5 });
  context.invoke("notify", "notify:prod", event);`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 3,
          data: { source: "context.wait(...)", where: "", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: replayableHandler(`await context.step("reserve", async () => 1);
  await context.wait({ seconds: 5 });
  context.invoke("notify", "notify:prod", event);`) }],
        },
        {
          messageId: "found",
          line: 6,
          column: 3,
          data: { source: 'context.invoke("notify", ...)', where: "", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: replayableHandler(`await context.step("reserve", async () => 1);
  context.wait({ seconds: 5 });
  await context.invoke("notify", "notify:prod", event);`) }],
        },
      ],
    },
    {
      // A .then chain left alone floats too; the suggestion awaits the whole chain.
      code: awsHandler(`context.step("user", async () => ({ id: 1 })).then((user: any) => console.info(user.id));`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 1,
          suggestions: [{ messageId: "awaitOperation", output: awsHandler(`await context.step("user", async () => ({ id: 1 })).then((user: any) => console.info(user.id));`) }],
        },
      ],
    },
    {
      // Stored in a variable that is never read: nothing waits for it. Awaiting it is a rename away, so no suggestion.
      code: awsHandler(`const receipt = context.step("charge", async () => 1);
  return "ok";`),
      errors: [{ messageId: "found", line: 4, column: 17, suggestions: [] }],
    },
    {
      // `void` says the result is not wanted, but the failure is still lost and the handler may finish first.
      code: awsHandler(`void context.step("audit", async () => 1);`),
      errors: [{ messageId: "found", line: 4, column: 6, suggestions: [] }],
    },
    {
      // In a loop: each iteration starts an operation nobody waits for.
      code: awsHandler(`for (const item of event.items) {
    context.step(\`ship-\${item.id}\`, async () => item);
  }`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 5,
          data: { source: "context.step(...)", where: "", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: awsHandler(`for (const item of event.items) {
    await context.step(\`ship-\${item.id}\`, async () => item);
  }`) }],
        },
      ],
    },
    {
      // In a callback that is not async, await is not available: reported without a suggestion.
      code: awsHandler(`event.items.forEach((item: any) => { context.step(\`ship-\${item.id}\`, async () => item); });`),
      errors: [{ messageId: "found", line: 4, column: 38, suggestions: [] }],
    },
    {
      // The durable combinator itself must be awaited; the operations inside it are passed on.
      code: awsHandler(`context.promise.all([context.step("a", async () => 1), context.step("b", async () => 2)]);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 1,
          data: { source: "context.promise.all(...)", where: "", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: awsHandler(`await context.promise.all([context.step("a", async () => 1), context.step("b", async () => 2)]);`) }],
        },
      ],
    },
    {
      // Child contexts are orchestration code too.
      code: awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    child.step("charge", async () => 1);
  });`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 5,
          suggestions: [{ messageId: "awaitOperation", output: awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    await child.step("charge", async () => 1);
  });`) }],
        },
      ],
    },
    {
      // A helper that receives the context, with the reason chain.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function notify(ctx: any, email: string) {
  ctx.step("notify", async () => email);
}
export const signup = withDurableExecution(async (event: any, context: any) => {
  await notify(context, event.email);
});`,
      filename: "signup.ts",
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 3,
          data: { source: 'ctx.step("notify", ...)', where: " in notify(), called from handler signup at signup.ts:6", problem: "", fix: FIX },
          suggestions: [{ messageId: "awaitOperation", output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function notify(ctx: any, email: string) {
  await ctx.step("notify", async () => email);
}
export const signup = withDurableExecution(async (event: any, context: any) => {
  await notify(context, event.email);
});` }],
        },
      ],
    },
    {
      // A function with a DurableContext parameter is a handler, whatever its name.
      code: `import type { DurableContext } from "replayable";
export async function reconcile(ctx: DurableContext) {
  ctx.wait("cool-down", { minutes: 5 });
}`,
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 3,
          suggestions: [{ messageId: "awaitOperation", output: `import type { DurableContext } from "replayable";
export async function reconcile(ctx: DurableContext) {
  await ctx.wait("cool-down", { minutes: 5 });
}` }],
        },
      ],
    },
    {
      // Plain JavaScript handlers are checked the same way.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  context.step("log-start", async () => event.id);
  return "ok";
});`,
      filename: "handler.js",
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 3,
          suggestions: [{ messageId: "awaitOperation", output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  await context.step("log-start", async () => event.id);
  return "ok";
});` }],
        },
      ],
    },
  ],
});

/** Harder cases found while reviewing the rule; each failed before the analysis handled it. */
describe("no-floating-durable-operation: cases found in review", () => {
  ruleTester.run("no-floating-durable-operation", rule, {
    valid: [],
    invalid: [
      {
        // A condition guarding a statement: `a && op()` drops the operation exactly like `op();`.
        code: awsHandler(`event.express && context.step("expedite", async () => 1);`),
        errors: [{ messageId: "found", line: 4, column: 18, suggestions: [] }],
      },
      {
        // Both arms of a conditional statement float.
        code: awsHandler(`event.express ? context.step("expedite", async () => 1) : context.wait({ seconds: 1 });`),
        errors: [
          { messageId: "found", line: 4, column: 17, suggestions: [] },
          { messageId: "found", line: 4, column: 59, suggestions: [] },
        ],
      },
      {
        // Destructuring the operation instead of its result: the promise is never awaited
        // (`status` is undefined), and the operation's failure is lost.
        code: awsHandler(`const { status } = context.step("check", async () => ({ status: 1 }));
  return status;`),
        errors: [{ messageId: "found", line: 4, column: 20, suggestions: [] }],
      },
      {
        // An async callback to forEach: the handler does not wait for the operations it starts.
        code: awsHandler(`event.items.forEach(async (item: any) => {
    await context.step(\`ship-\${item.id}\`, async () => item);
  });`),
        errors: [{ messageId: "found", line: 5, column: 11, suggestions: [] }],
      },
      {
        // .map returns the operations to an array nobody awaits.
        code: awsHandler(`event.items.map((item: any) => context.step(\`ship-\${item.id}\`, async () => item));`),
        errors: [{ messageId: "found", line: 4, column: 32, suggestions: [] }],
      },
    ],
  });
});
