import { describe } from "vitest";
import rule from "../../../eslint-plugin/rules/no-swallowed-suspension.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const CATCH = (where = "") => ({
  source: "catch",
  where,
  problem: "around durable operations does not rethrow",
  fix: "rethrow what you do not handle (`if (!(error instanceof StepError)) throw error`), or let the operation's retry strategy handle failures",
});
const DOT_CATCH = {
  source: ".catch()",
  where: "",
  problem: "on a durable operation does not rethrow",
  fix: "rethrow what you do not handle, or let the operation's retry strategy handle failures",
};

ruleTester.run("no-swallowed-suspension", rule, {
  valid: [
    // Handle the failure you expect, rethrow everything else (including a suspension).
    awsHandler(`try {
    await context.step("charge", async () => 1);
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    await context.step("notify-failure", async () => 2);
  }`, `import { StepError } from "@aws/durable-execution-sdk-js";`),
    // A saga that compensates and rethrows.
    replayableHandler(`try {
    await context.step("reserve", async () => 1);
    await context.step("charge", async () => 2);
  } catch (error) {
    await context.step("release", async () => 3);
    throw error;
  }`),
    // finally without catch swallows nothing.
    awsHandler(`try {
    await context.step("work", async () => 1);
  } finally {
    context.logger.info("done");
  }`),
    // A catch around code that holds no durable operation.
    awsHandler(`let body: unknown;
  try {
    body = JSON.parse(event.body);
  } catch {
    return { status: 400 };
  }
  return context.step("store", async () => body);`),
    // A catch inside step code is the step's business: it runs once per attempt.
    awsHandler(`await context.step("fetch", async () => {
    try {
      return await fetch(event.url);
    } catch {
      return null;
    }
  });`),
    // .catch handlers that rethrow, inline or by name.
    awsHandler(`await context.step("a", async () => 1).catch((error: unknown) => {
    throw new Error("charge failed", { cause: error });
  });
  await context.step("b", async () => 2).catch(rethrow);`, `function rethrow(error: unknown): never { throw error; }`),
    // Outside any durable handler nothing is reported.
    `export async function plain(ctx: any) {
  try { await ctx.step("x", async () => 1); } catch { return null; }
  return ctx.step("y", async () => 1).catch(() => null);
}`,
  ],
  invalid: [
    {
      // Logged and forgotten: the handler carries on as if the step had finished.
      code: awsHandler(`try {
    await context.step("charge", async () => 1);
  } catch (error) {
    context.logger.error("charge failed", error);
  }`),
      errors: [{ messageId: "found", line: 6, column: 5, data: CATCH() }],
    },
    {
      // A saga that compensates but returns instead of rethrowing.
      code: replayableHandler(`try {
    await context.step("reserve", async () => 1);
    await context.wait({ minutes: 10 });
    await context.step("charge", async () => 2);
  } catch {
    await context.step("release", async () => 3);
    return { status: "rolled-back" };
  }`),
      errors: [{ messageId: "found", line: 8, column: 5, data: CATCH() }],
    },
    {
      // .catch on an operation, also after .then, inline or by name.
      code: awsHandler(`const a = await context.step("a", async () => 1).catch(() => null);
  const b = await context.step("b", async () => 2).then((n: number) => n * 2).catch((error: unknown) => {
    context.logger.warn("b failed", error);
  });
  const c = await context.step("c", async () => 3).catch(swallow);`, `function swallow(error: unknown) { return undefined; }`),
      errors: [
        { messageId: "found", line: 4, column: 50, endColumn: 55, data: DOT_CATCH },
        { messageId: "found", line: 5, column: 79, data: DOT_CATCH },
        { messageId: "found", line: 8, column: 52, data: DOT_CATCH },
      ],
    },
    {
      // Around a child context, and inside one.
      code: awsHandler(`try {
    await context.runInChildContext("billing", async (child: any) => child.step("charge", async () => 1));
  } catch {
    return null;
  }
  await context.runInChildContext("shipping", async (child: any) => {
    try {
      await child.wait({ hours: 1 });
    } catch {}
  });`),
      errors: [
        { messageId: "found", line: 6, column: 5, data: CATCH() },
        { messageId: "found", line: 12, column: 7, data: CATCH() },
      ],
    },
    {
      // `continue` in a loop is not a rethrow.
      code: awsHandler(`for (const item of event.items) {
    try {
      await context.step(\`ship-\${item.id}\`, async () => item);
    } catch {
      continue;
    }
  }`),
      errors: [{ messageId: "found", line: 7, column: 7, data: CATCH() }],
    },
    {
      // The inner catch rethrows; the outer one swallows what the inner one rethrew.
      code: awsHandler(`try {
    try {
      await context.step("inner", async () => 1);
    } catch (error) {
      throw error;
    }
  } catch {
    return "swallowed";
  }`),
      errors: [{ messageId: "found", line: 10, column: 5, data: CATCH() }],
    },
    {
      // A throw in a nested function is not a rethrow from the catch.
      code: awsHandler(`try {
    await context.step("charge", async () => 1);
  } catch (error) {
    event.onError = () => { throw error; };
  }`),
      errors: [{ messageId: "found", line: 6, column: 5, data: CATCH() }],
    },
    {
      // In a helper, with the reason chain.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function tryCharge(ctx: any, amount: number) {
  try {
    return await ctx.step("charge", async () => amount);
  } catch {
    return 0;
  }
}
export const checkout = withDurableExecution(async (event: any, context: any) => tryCharge(context, event.amount));`,
      filename: "checkout.ts",
      errors: [{ messageId: "found", line: 5, column: 5, data: CATCH(" in tryCharge(), called from handler checkout at checkout.ts:9") }],
    },
    {
      // Plain JavaScript.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  try {
    await context.wait({ days: 1 });
  } catch (e) {
    return "cancelled";
  }
  return context.step("remind", async () => event.userId);
});`,
      filename: "handler.js",
      errors: [{ messageId: "found", line: 5, column: 5, data: CATCH() }],
    },
  ],
});

/** Harder cases found while reviewing the rule; each failed before the analysis handled it. */
describe("no-swallowed-suspension: cases found in review", () => {
  ruleTester.run("no-swallowed-suspension", rule, {
    valid: [],
    invalid: [
      {
        // The try block calls a helper that issues durable operations: the catch is around them
        // just the same. Only operations written directly in the try block are seen today.
        code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function reserveAll(ctx: any, items: string[]) {
  for (const item of items) await ctx.step(\`reserve-\${item}\`, async () => item);
}
export const handler = withDurableExecution(async (event: any, context: any) => {
  try {
    await reserveAll(context, event.items);
  } catch {
    return { reserved: false };
  }
  return { reserved: true };
});`,
        errors: [{ messageId: "found", line: 8, column: 5, data: CATCH() }],
      },
      {
        // The operation's promise is created outside the try and awaited inside it: awaiting the
        // callback is where the execution suspends, and this catch swallows that (and the timeout).
        code: awsHandler(`const [approval, callbackId] = await context.createCallback("approval", { timeout: { days: 1 } });
  await context.step("request-approval", async () => callbackId);
  try {
    return await approval;
  } catch {
    return "timed-out";
  }`),
        errors: [{ messageId: "found", line: 8, column: 5, data: CATCH() }],
      },
      {
        // console.error as the handler logs and returns undefined: the failure is swallowed.
        code: awsHandler(`const result = await context.step("moderate", async () => 1).catch(console.error);`),
        errors: [{ messageId: "found", line: 4, column: 62, data: DOT_CATCH }],
      },
    ],
  });
});
