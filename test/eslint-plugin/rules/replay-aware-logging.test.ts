import rule from "../../../eslint-plugin/rules/replay-aware-logging.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();

ruleTester.run("replay-aware-logging", rule, {
  valid: [
    // Logging right before a throw that ends the execution runs once (replay-evidence.test.ts).
    awsHandler(`const item = await context.step("lookup", async () => undefined);
  if (!item) {
    console.error("Failing - item not found");
    throw new Error("Item not found");
  }
  try {
    await context.step("charge", async () => 1);
  } catch (error) {
    console.error("Failing - charge", error);
    throw error;
  }`),
    // Through an alias taken in the handler: neither the call nor where the alias is taken.
    awsHandler(`const fail = console.error;
  const item = await context.step("lookup", async () => undefined);
  if (!item) {
    fail("Failing - item not found");
    throw new Error("Item not found");
  }`),
    awsHandler(`context.logger.info("starting", { id: event.id });`),
    awsHandler(`await context.step("charge", async (step: any) => { console.log("charging"); step.logger.info("charged"); });`),
    `console.log("module loaded");
export function helper() { console.error("not durable"); }`,
    // Methods every object inherits write nothing.
    awsHandler(`const text = console.toString(); const own = console.hasOwnProperty("log");`),
  ],
  invalid: [
    {
      // A throw that a catch of the handler handles does not end the execution: the log repeats.
      code: awsHandler(`try {
  console.error("retrying");
  throw new Error("again");
} catch {}
await context.wait("later", { seconds: 1 });`),
      errors: [{ messageId: "found", line: 5, suggestions: [{ messageId: "useContextLogger", data: { replacement: "context.logger.error" }, output: awsHandler(`try {
  context.logger.error("retrying");
  throw new Error("again");
} catch {}
await context.wait("later", { seconds: 1 });`) }] }],
    },
    {
      // Methods that shape later output replay too: a group opened and closed again on every replay.
      code: awsHandler(`console.group("order"); console.groupEnd(); console.clear();`),
      errors: [
        { messageId: "found", line: 4, column: 1, suggestions: [] },
        { messageId: "found", line: 4, column: 25, suggestions: [] },
        { messageId: "found", line: 4, column: 45, suggestions: [] },
      ],
    },
    {
      code: awsHandler(`console.log("order", event.id);`),
      errors: [{
        messageId: "found",
        line: 4,
        column: 1,
        suggestions: [{ messageId: "useContextLogger", data: { replacement: "context.logger.info" }, output: awsHandler(`context.logger.info("order", event.id);`) }],
      }],
    },
    {
      code: awsHandler(`console.warn("slow");
  console.error(new Error("x"));
  console.debug("d");
  console.table([]);`),
      errors: [
        { messageId: "found", line: 4, suggestions: [{ messageId: "useContextLogger", output: awsHandler(`context.logger.warn("slow");
  console.error(new Error("x"));
  console.debug("d");
  console.table([]);`) }] },
        { messageId: "found", line: 5, suggestions: [{ messageId: "useContextLogger", output: awsHandler(`console.warn("slow");
  context.logger.error(new Error("x"));
  console.debug("d");
  console.table([]);`) }] },
        { messageId: "found", line: 6, suggestions: [{ messageId: "useContextLogger", output: awsHandler(`console.warn("slow");
  console.error(new Error("x"));
  context.logger.debug("d");
  console.table([]);`) }] },
        { messageId: "found", line: 7, suggestions: [] },
      ],
    },
    {
      // Inside a child context the child's own logger is suggested; a helper without a context gets none.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
function audit(message: string) { console.info(message); }
export const handler = withDurableExecution(async (event: any, context: any) => {
  await context.runInChildContext("child", async (child: any) => { console.log("in child"); });
  audit("done");
});`,
      filename: "audit.ts",
      errors: [
        { messageId: "found", line: 2, suggestions: [], data: { source: "console.info()", where: " in audit(), called from the handler at audit.ts:5", fix: "use context.logger, which is silent while replaying" } },
        { messageId: "found", line: 4, suggestions: [{ messageId: "useContextLogger", data: { replacement: "child.logger.info" }, output: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
function audit(message: string) { console.info(message); }
export const handler = withDurableExecution(async (event: any, context: any) => {
  await context.runInChildContext("child", async (child: any) => { child.logger.info("in child"); });
  audit("done");
});` }] },
      ],
    },
    {
      // A console method passed as a callback.
      code: awsHandler(`event.items.forEach(console.log);`),
      errors: [{ messageId: "found", column: 21, suggestions: [] }],
    },
  ],
});
