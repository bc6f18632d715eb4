import rule from "../../../eslint-plugin/rules/no-env-outside-step.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();

ruleTester.run("no-env-outside-step", rule, {
  valid: [
    awsHandler(`const url = await context.step("url", async () => process.env.API_URL);`),
    // Read once at module load, outside the handler: not this rule's concern.
    `const TABLE = process.env.TABLE_NAME;
export function f() { return process.env.X; }`,
    // A local named process is not the global.
    awsHandler(`const process = { env: { A: "1" } };
  return process.env.A;`),
  ],
  invalid: [
    {
      code: awsHandler(`const url = process.env.API_URL;`),
      errors: [{
        messageId: "found",
        line: 4,
        column: 13,
        suggestions: [{ messageId: "wrapInStep", data: { name: "url", context: "context" }, output: awsHandler(`const url = await context.step("url", async () => process.env.API_URL);`) }],
      }],
    },
    {
      code: awsHandler(`if (process.env["FEATURE_X"] === "on") return 1;`),
      errors: [{
        messageId: "found",
        suggestions: [{ messageId: "wrapInStep", data: { name: "FEATURE_X", context: "context" }, output: awsHandler(`if ((await context.step("FEATURE_X", async () => process.env["FEATURE_X"])) === "on") return 1;`) }],
      }],
    },
    {
      // The whole environment is never put in a step: no suggestion.
      code: awsHandler(`const env = { ...process.env };
  const { argv } = process;
  const deno = Deno.env.get("X");`),
      errors: [
        { messageId: "found", line: 4, suggestions: [] },
        { messageId: "found", line: 5, suggestions: [] },
        { messageId: "found", line: 6, suggestions: [] },
      ],
    },
    {
      // Imports of process members and module-level aliases are reported where orchestration code reads them.
      code: awsHandler(`return [env.REGION, ENV.STAGE, globalThis.process.argv];`, `import { env } from "node:process";
const ENV = process.env;`),
      errors: [
        { messageId: "found", line: 5, column: 9, data: { source: "env (process.env)", where: "", fix: "read it inside context.step(...), or pass the value in the execution's input" }, suggestions: [] },
        { messageId: "found", line: 5, column: 21, suggestions: [] },
        { messageId: "found", line: 5, column: 32, suggestions: [] },
      ],
    },
  ],
});
