import { describe } from "vitest";
import rule from "../../../eslint-plugin/rules/no-native-promise-combinator.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const fixFor = (combinator: string, context = "context") =>
  `use ${context}.promise.${combinator}(...), ${context}.parallel(...) or ${context}.map(...), which record the combination`;

ruleTester.run("no-native-promise-combinator", rule, {
  valid: [
    // Waits cannot fail and settle to undefined: the same on every replay (replay-evidence.test.ts).
    awsHandler(`await Promise.all([context.wait("a", { seconds: 1 }), context.wait("b", { seconds: 5 })]);`),
    // The durable combinators record the combination.
    awsHandler(`const [charge, reserve] = await context.promise.all([context.step("charge", async () => 1), context.step("reserve", async () => 2)]);`),
    replayableHandler(`const winner = await context.promise.race("charge-or-timeout", [context.step("charge", async () => 1), context.wait("timeout", { minutes: 5 })]);`),
    // parallel and map run branches in child contexts of their own.
    awsHandler(`await context.parallel([async (branch: any) => branch.step("a", async () => 1), async (branch: any) => branch.step("b", async () => 2)]);
  await context.map(event.items, async (itemContext: any, item: any) => itemContext.step("ship", async () => item));`),
    // Inside step code, Promise.all over plain I/O is ordinary code: the step records its result.
    awsHandler(`const prices = await context.step("prices", async () => Promise.all(event.skus.map((sku: string) => fetch(\`https://prices.example.com/\${sku}\`))));`),
    // Promise.all over promises that are not durable operations.
    awsHandler(`const [a, b] = await Promise.all([Promise.resolve(event.a), Promise.resolve(event.b)]);`),
    // Outside any durable handler nothing is reported.
    `export async function warm(ctx: any) { await Promise.all([ctx.step("a", async () => 1), ctx.step("b", async () => 2)]); }`,
  ],
  invalid: [
    {
      code: awsHandler(`const [charge, reserve] = await Promise.all([context.step("charge", async () => 1), context.step("reserve", async () => 2)]);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 33,
          endColumn: 44,
          data: { source: "Promise.all()", where: "", problem: "", fix: fixFor("all") },
          suggestions: [
            {
              messageId: "useDurableCombinator",
              data: { replacement: "context.promise.all" },
              output: awsHandler(`const [charge, reserve] = await context.promise.all([context.step("charge", async () => 1), context.step("reserve", async () => 2)]);`),
            },
          ],
        },
      ],
    },
    {
      // A race between a step and a wait: replay can settle it the other way.
      code: replayableHandler(`const winner = await Promise.race([
    context.step("charge", async () => 1),
    context.wait("timeout", { minutes: 5 }),
  ]);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 22,
          data: { source: "Promise.race()", where: "", problem: "", fix: fixFor("race") },
          suggestions: [
            {
              messageId: "useDurableCombinator",
              data: { replacement: "context.promise.race" },
              output: replayableHandler(`const winner = await context.promise.race([
    context.step("charge", async () => 1),
    context.wait("timeout", { minutes: 5 }),
  ]);`),
            },
          ],
        },
      ],
    },
    {
      // A fan-out built with .map whose callback returns the operation.
      code: awsHandler(`const results = await Promise.allSettled(event.items.map((item: any) => context.step(\`ship-\${item.id}\`, async () => item)));`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 23,
          data: { source: "Promise.allSettled()", where: "", problem: "", fix: fixFor("allSettled") },
          suggestions: [
            {
              messageId: "useDurableCombinator",
              output: awsHandler(`const results = await context.promise.allSettled(event.items.map((item: any) => context.step(\`ship-\${item.id}\`, async () => item)));`),
            },
          ],
        },
      ],
    },
    {
      // A const holding the operations is followed to its initializer.
      code: awsHandler(`const mirrors = [context.invoke("eu", "quote-eu:prod", event), context.invoke("us", "quote-us:prod", event)];
  return Promise.any(mirrors);`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 10,
          data: { source: "Promise.any()", where: "", problem: "", fix: fixFor("any") },
          suggestions: [
            {
              messageId: "useDurableCombinator",
              output: awsHandler(`const mirrors = [context.invoke("eu", "quote-eu:prod", event), context.invoke("us", "quote-us:prod", event)];
  return context.promise.any(mirrors);`),
            },
          ],
        },
      ],
    },
    {
      // Spelled through globalThis: the whole callee is replaced.
      code: awsHandler(`await globalThis.Promise.all([context.step("a", async () => 1), context.step("b", async () => 2)]);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 7,
          endColumn: 29,
          suggestions: [
            {
              messageId: "useDurableCombinator",
              output: awsHandler(`await context.promise.all([context.step("a", async () => 1), context.step("b", async () => 2)]);`),
            },
          ],
        },
      ],
    },
    {
      // In a child context the suggestion uses the child's own context.
      code: awsHandler(`await context.runInChildContext("quotes", async (child: any) => Promise.all([child.invoke("eu", "quote-eu:prod", event), child.invoke("us", "quote-us:prod", event)]));`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 65,
          suggestions: [
            {
              messageId: "useDurableCombinator",
              data: { replacement: "child.promise.all" },
              output: awsHandler(`await context.runInChildContext("quotes", async (child: any) => child.promise.all([child.invoke("eu", "quote-eu:prod", event), child.invoke("us", "quote-us:prod", event)]));`),
            },
          ],
        },
      ],
    },
    {
      // A helper that receives the context, with the reason chain.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function quoteAll(ctx: any, sku: string) {
  return Promise.all([ctx.invoke("eu", "quote-eu:prod", sku), ctx.invoke("us", "quote-us:prod", sku)]);
}
export const quote = withDurableExecution(async (event: any, context: any) => quoteAll(context, event.sku));`,
      filename: "quote.ts",
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 10,
          data: { source: "Promise.all()", where: " in quoteAll(), called from handler quote at quote.ts:5", problem: "", fix: fixFor("all", "ctx") },
          suggestions: [
            {
              messageId: "useDurableCombinator",
              data: { replacement: "ctx.promise.all" },
              output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function quoteAll(ctx: any, sku: string) {
  return ctx.promise.all([ctx.invoke("eu", "quote-eu:prod", sku), ctx.invoke("us", "quote-us:prod", sku)]);
}
export const quote = withDurableExecution(async (event: any, context: any) => quoteAll(context, event.sku));`,
            },
          ],
        },
      ],
    },
    {
      // Plain JavaScript.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  return Promise.race([context.invoke("fast", "fast:prod", event), context.wait({ seconds: 3 })]);
});`,
      filename: "handler.js",
      errors: [
        {
          messageId: "found",
          line: 3,
          column: 10,
          suggestions: [
            {
              messageId: "useDurableCombinator",
              output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  return context.promise.race([context.invoke("fast", "fast:prod", event), context.wait({ seconds: 3 })]);
});`,
            },
          ],
        },
      ],
    },
  ],
});

/** Harder cases found while reviewing the rule; each failed before the analysis handled it. */
describe("no-native-promise-combinator: cases found in review", () => {
  ruleTester.run("no-native-promise-combinator", rule, {
    valid: [
      // Each operation is awaited before the array is built: the steps ran one after the
      // other, and Promise.all only sees plain values. Nothing is combined.
      awsHandler(`const values = await Promise.all([await context.step("a", async () => 1), await context.step("b", async () => 2)]);`),
    ],
    invalid: [
      {
        // The most common fan-out: async callbacks that await an operation and return nothing.
        // context.promise.all(...) would not type-check here (the callbacks return plain
        // promises, not DurablePromises), so no suggestion; the fix is context.map(...).
        code: awsHandler(`await Promise.all(event.items.map(async (item: any) => {
    await context.step(\`ship-\${item.id}\`, async () => item);
  }));`),
        errors: [{ messageId: "found", line: 4, column: 7, suggestions: [] }],
      },
      {
        // Operations collected in a loop, then combined natively.
        code: awsHandler(`const shipments = [];
  for (const item of event.items) shipments.push(context.step(\`ship-\${item.id}\`, async () => item));
  await Promise.all(shipments);`),
        errors: [
          {
            messageId: "found",
            line: 6,
            column: 9,
            suggestions: [
              {
                messageId: "useDurableCombinator",
                output: awsHandler(`const shipments = [];
  for (const item of event.items) shipments.push(context.step(\`ship-\${item.id}\`, async () => item));
  await context.promise.all(shipments);`),
              },
            ],
          },
        ],
      },
      {
        // The callback returns `await op`: the detection is right, but the suggested
        // context.promise.all(...) receives plain promises from the async callbacks and does
        // not type-check with either SDK (it takes DurablePromise[]). No suggestion.
        code: awsHandler(`await Promise.all(event.items.map(async (item: any) => await context.step(\`ship-\${item.id}\`, async () => item)));`),
        errors: [{ messageId: "found", line: 4, column: 7, suggestions: [] }],
      },
    ],
  });
});
