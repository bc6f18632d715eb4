import { describe } from "vitest";
import rule from "../../../eslint-plugin/rules/no-outer-context-in-child.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

// The message says what happens on the runtime the file imports.
const AWS_PROBLEM = "the AWS SDK stops the execution with a context usage error when a child uses its parent's context";
const REPLAYABLE_PROBLEM = "its operations are keyed under the parent, so concurrent children share identities and replay can hand one child another's results";
const ruleTester = createRuleTester();

const CHARGE = `async function charge(ctx: any, item: any) { return ctx.step("charge", async () => item); }`;
const NO_OWN_CONTEXT_FIX = "take the child's context as the function's first parameter and use it";

ruleTester.run("no-outer-context-in-child", rule, {
  valid: [
    // Each child uses its own context.
    awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    await child.step("charge", async () => 1);
    await child.wait({ seconds: 5 });
  });
  await context.parallel([async (branch: any) => branch.step("a", async () => 1), { name: "b", func: async (branch: any) => branch.step("b", async () => 2) }]);
  await context.map(event.items, async (itemContext: any, item: any) => charge(itemContext, item));`, CHARGE),
    // The parent context before and after the child, and in the arguments of the child operation itself.
    replayableHandler(`const items = await context.step("load", async () => event.items);
  const results = await context.map(items, async (itemContext: any, item: any) => itemContext.step("ship", async () => item));
  await context.step("report", async () => results);`),
    // A plain value read from the parent context before the child is just a value.
    awsHandler(`const arn = context.executionContext.durableExecutionArn;
  await context.runInChildContext("tag", async (child: any) => child.step("tag", async () => arn));`),
    // A child body declared at module level only sees its own parameter.
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function billing(child: any) { return child.step("charge", async () => 1); }
export const handler = withDurableExecution(async (event: any, context: any) => context.runInChildContext("billing", billing));`,
    // Outside any durable handler nothing is reported.
    `export async function plain(ctx: any) { await ctx.runInChildContext("c", async (child: any) => audit(ctx)); }
declare function audit(ctx: unknown): Promise<void>;`,
  ],
  invalid: [
    {
      code: replayableHandler(`await context.runInChildContext("child", async (child: any) => context.wait("w", { seconds: 1 }));`),
      errors: [{
        messageId: "found",
        data: { source: "context", where: "", problem: REPLAYABLE_PROBLEM, fix: "use the child's own context, child" },
        suggestions: [{ messageId: "useChildContext", data: { replacement: "child" }, output: replayableHandler(`await context.runInChildContext("child", async (child: any) => child.wait("w", { seconds: 1 }));`) }],
      }],
    },
    {
      // Handing the parent's context to a helper from a map item: the helper's operations are keyed under the parent.
      code: awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => charge(context, item));`, CHARGE),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 78,
          endColumn: 85,
          data: { source: "context", where: "", problem: AWS_PROBLEM, fix: "use the child's own context, itemContext" },
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "itemContext" },
              output: awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => charge(itemContext, item));`, CHARGE),
            },
          ],
        },
      ],
    },
    {
      // Any use of the parent context counts, not only operations.
      code: replayableHandler(`await context.runInChildContext("billing", async (child: any) => {
    context.logger.info("billing started");
    return child.step("charge", async () => 1);
  });`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 5,
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "child" },
              output: replayableHandler(`await context.runInChildContext("billing", async (child: any) => {
    child.logger.info("billing started");
    return child.step("charge", async () => 1);
  });`),
            },
          ],
        },
      ],
    },
    {
      // Parallel branches: `{ name, func }` branches too; a branch without a parameter gets no suggestion.
      code: awsHandler(`await context.parallel([
    { name: "audit", func: async (branch: any) => charge(context, "audit") },
    async () => charge(context, "notify"),
  ]);`, CHARGE),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 58,
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "branch" },
              output: awsHandler(`await context.parallel([
    { name: "audit", func: async (branch: any) => charge(branch, "audit") },
    async () => charge(context, "notify"),
  ]);`, CHARGE),
            },
          ],
        },
        {
          messageId: "found",
          line: 6,
          column: 24,
          data: { source: "context", where: "", problem: AWS_PROBLEM, fix: NO_OWN_CONTEXT_FIX },
          suggestions: [],
        },
      ],
    },
    {
      // Two levels down: the grandchild must not use its parent's context either.
      code: awsHandler(`await context.runInChildContext("outer", async (outer: any) => {
    await outer.runInChildContext("inner", async (inner: any) => charge(outer, "x"));
  });`, CHARGE),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 73,
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "inner" },
              output: awsHandler(`await context.runInChildContext("outer", async (outer: any) => {
    await outer.runInChildContext("inner", async (inner: any) => charge(inner, "x"));
  });`, CHARGE),
            },
          ],
        },
      ],
    },
    {
      // A child body declared in the handler and passed by name, with the reason chain.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function charge(ctx: any, item: any) { return ctx.step("charge", async () => item); }
export const checkout = withDurableExecution(async (event: any, context: any) => {
  async function billing(child: any) {
    return charge(context, event.total);
  }
  return context.runInChildContext("billing", billing);
});`,
      filename: "checkout.ts",
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 19,
          data: { source: "context", where: " in billing(), called from handler checkout at checkout.ts:7", problem: AWS_PROBLEM, fix: "use the child's own context, child" },
          suggestions: [
            {
              messageId: "useChildContext",
              output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function charge(ctx: any, item: any) { return ctx.step("charge", async () => item); }
export const checkout = withDurableExecution(async (event: any, context: any) => {
  async function billing(child: any) {
    return charge(child, event.total);
  }
  return context.runInChildContext("billing", billing);
});`,
            },
          ],
        },
      ],
    },
    {
      // The main case: the parent's operation inside runInChildContext.
      code: awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    await context.step("charge", async () => 1);
  });`),
      errors: [
        {
          messageId: "found",
          line: 5,
          column: 11,
          data: { source: "context", where: "", problem: AWS_PROBLEM, fix: "use the child's own context, child" },
          suggestions: [
            {
              messageId: "useChildContext",
              output: awsHandler(`await context.runInChildContext("billing", async (child: any) => {
    await child.step("charge", async () => 1);
  });`),
            },
          ],
        },
      ],
    },
    {
      // The parent's operations in a map item and in parallel branches (one without a parameter).
      code: awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => context.step("ship", async () => item));
  await context.parallel([async (branch: any) => context.wait({ seconds: 1 }), async () => context.step("b", async () => 2)]);`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 71,
          suggestions: [
            {
              messageId: "useChildContext",
              output: awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => itemContext.step("ship", async () => item));
  await context.parallel([async (branch: any) => context.wait({ seconds: 1 }), async () => context.step("b", async () => 2)]);`),
            },
          ],
        },
        {
          messageId: "found",
          line: 5,
          column: 50,
          suggestions: [
            {
              messageId: "useChildContext",
              output: awsHandler(`await context.map(event.items, async (itemContext: any, item: any) => context.step("ship", async () => item));
  await context.parallel([async (branch: any) => branch.wait({ seconds: 1 }), async () => context.step("b", async () => 2)]);`),
            },
          ],
        },
        { messageId: "found", line: 5, column: 92, data: { source: "context", where: "", problem: AWS_PROBLEM, fix: NO_OWN_CONTEXT_FIX }, suggestions: [] },
      ],
    },
    {
      // A grandchild issuing operations on its parent's and grandparent's contexts.
      code: awsHandler(`await context.runInChildContext("outer", async (outer: any) => {
    await outer.runInChildContext("inner", async (inner: any) => {
      await outer.step("a", async () => 1);
      await context.step("b", async () => 2);
    });
  });`),
      errors: [
        {
          messageId: "found",
          line: 6,
          column: 13,
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "inner" },
              output: awsHandler(`await context.runInChildContext("outer", async (outer: any) => {
    await outer.runInChildContext("inner", async (inner: any) => {
      await inner.step("a", async () => 1);
      await context.step("b", async () => 2);
    });
  });`),
            },
          ],
        },
        {
          messageId: "found",
          line: 7,
          column: 13,
          suggestions: [
            {
              messageId: "useChildContext",
              data: { replacement: "inner" },
              output: awsHandler(`await context.runInChildContext("outer", async (outer: any) => {
    await outer.runInChildContext("inner", async (inner: any) => {
      await outer.step("a", async () => 1);
      await inner.step("b", async () => 2);
    });
  });`),
            },
          ],
        },
      ],
    },
    {
      // Plain JavaScript.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  return context.map(event.users, async (userContext, user) => {
    context.logger.info("welcoming", user.id);
    return userContext.step("welcome", async () => user.id);
  });
});`,
      filename: "handler.js",
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 5,
          suggestions: [
            {
              messageId: "useChildContext",
              output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  return context.map(event.users, async (userContext, user) => {
    userContext.logger.info("welcoming", user.id);
    return userContext.step("welcome", async () => user.id);
  });
});`,
            },
          ],
        },
      ],
    },
  ],
});

/** Harder cases found while reviewing the rule; each failed before the analysis handled it. */
describe("no-outer-context-in-child: cases found in review", () => {
  ruleTester.run("no-outer-context-in-child", rule, {
    valid: [],
    invalid: [
      {
        // The parent context under another name is still the parent context.
        code: awsHandler(`const parent = context;
  await context.runInChildContext("billing", async (child: any) => {
    await parent.step("charge", async () => 1);
  });`),
        errors: [
          {
            messageId: "found",
            line: 6,
            column: 11,
            suggestions: [
              {
                messageId: "useChildContext",
                output: awsHandler(`const parent = context;
  await context.runInChildContext("billing", async (child: any) => {
    await child.step("charge", async () => 1);
  });`),
              },
            ],
          },
        ],
      },
    ],
  });
});
