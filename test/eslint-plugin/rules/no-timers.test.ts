import rule from "../../../eslint-plugin/rules/no-timers.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();

ruleTester.run("no-timers", rule, {
  valid: [
    awsHandler(`await context.wait({ seconds: 5 });`),
    // A timer inside a step is part of that attempt (e.g. a request timeout).
    awsHandler(`await context.step("call", async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2000);
    try { return await (await fetch(event.url, { signal: controller.signal })).text(); } finally { clearTimeout(timer); }
  });`),
    `export function debounce(fn: () => void) { setTimeout(fn, 10); }`,
  ],
  invalid: [
    {
      // The classic sleep becomes a durable wait.
      code: awsHandler(`await new Promise((resolve) => setTimeout(resolve, 30000));`),
      errors: [{
        messageId: "found",
        line: 4,
        suggestions: [{ messageId: "useContextWait", data: { replacement: "context.wait({ seconds: 30 })" }, output: awsHandler(`await context.wait({ seconds: 30 });`) }],
      }],
    },
    {
      code: awsHandler(`await sleep(60000);`, `import { setTimeout as sleep } from "node:timers/promises";`),
      errors: [{
        messageId: "found",
        suggestions: [{ messageId: "useContextWait", output: awsHandler(`await context.wait({ seconds: 60 });`, `import { setTimeout as sleep } from "node:timers/promises";`) }],
      }],
    },
    {
      // Delays that are not whole seconds, intervals and immediates: reported, no rewrite.
      code: awsHandler(`await new Promise((r) => setTimeout(r, 250));
  setInterval(() => {}, 1000);
  setImmediate(() => {});
  globalThis.setTimeout(() => {}, 1000);`),
      errors: [4, 5, 6, 7].map((line) => ({ messageId: "found" as const, line, suggestions: [] })),
    },
  ],
});
