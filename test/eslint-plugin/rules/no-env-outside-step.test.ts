import rule from "../../../eslint-plugin/rules/no-env-outside-step.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();
const WHOLE = "uses the whole environment, which holds per-invocation variables such as _X_AMZN_TRACE_ID that differ on every replay";

ruleTester.run("no-env-outside-step", rule, {
  valid: [
    awsHandler(`const url = await context.step("url", async () => process.env.API_URL);`),
    // Read once at module load, outside the handler: not this rule's concern.
    `const TABLE = process.env.TABLE_NAME;
export function f() { return process.env.X; }`,
    // A local named process is not the global.
    awsHandler(`const process = { env: { A: "1" } };
  return process.env.A;`),
    // Named reads of the function's configuration: a published version's variables are immutable,
    // so every replay of the execution reads the same value.
    awsHandler(`const url = process.env.API_URL;
  if (process.env["FEATURE_X"] === "on") return 1;
  const { STAGE, REGION: region } = process.env;
  const verbose = Deno.env.get("VERBOSE");
  return [url, STAGE, region, verbose, env.REGION, ENV.STAGE];`, `import { env } from "node:process";
const ENV = process.env;`),
  ],
  invalid: [
    {
      // Lambda sets the trace id per invocation: each replay reads another one.
      code: awsHandler(`const trace = process.env._X_AMZN_TRACE_ID;`),
      errors: [{
        messageId: "found",
        line: 4,
        column: 15,
        data: {
          source: "process.env",
          where: "",
          problem: "reads _X_AMZN_TRACE_ID, which Lambda sets per invocation or per execution environment, so a replay reads another value",
          fix: "read it inside context.step(...) so the value is recorded",
        },
        suggestions: [{ messageId: "wrapInStep", data: { name: "trace", context: "context" }, output: awsHandler(`const trace = await context.step("trace", async () => process.env._X_AMZN_TRACE_ID);`) }],
      }],
    },
    {
      // A variable the code writes: the write lives in one container only.
      code: awsHandler(`process.env.MODE = event.mode;
  const { MODE } = process.env;`),
      errors: [
        { messageId: "found", line: 4, suggestions: [], data: { source: "process.env", where: "", problem: "writes MODE into the environment, where the write lives in one container: a replay in a fresh one does not see it", fix: "pass the value in the execution's input or record it with context.step(...) instead of going through the environment" } },
        { messageId: "found", line: 5, suggestions: [], data: { source: "process.env", where: "", problem: "reads MODE, which this file writes into the environment: a replay in a fresh container does not see the write", fix: "pass the value in the execution's input or record it with context.step(...) instead of going through the environment" } },
      ],
    },
    {
      // The whole environment (it holds the per-invocation variables), and the command line.
      code: awsHandler(`const env = { ...process.env };
  const { argv } = process;
  const deno = Deno.env.toObject();
  const { env: alias } = process;`),
      errors: [
        { messageId: "found", line: 4, suggestions: [] },
        { messageId: "found", line: 5, suggestions: [] },
        { messageId: "found", line: 6, suggestions: [] },
        { messageId: "found", line: 7, data: { source: "env: alias (process.env)", where: "", problem: WHOLE, fix: "read the variables you need by name, or record the object in context.step(...)" }, suggestions: [] },
      ],
    },
    {
      // A function that runs on $LATEST can be redeployed under a waiting execution: every read counts.
      code: awsHandler(`const url = process.env.API_URL;`),
      options: [{ runsOnLatest: true }],
      errors: [{
        messageId: "found",
        data: { source: "process.env", where: "", problem: "reads API_URL, which a function running on $LATEST can see changed by a deploy before a replay", fix: "read it inside context.step(...), or pass the value in the execution's input" },
        suggestions: [{ messageId: "wrapInStep", data: { name: "url", context: "context" }, output: awsHandler(`const url = await context.step("url", async () => process.env.API_URL);`) }],
      }],
    },
    {
      // Imports of process members and module-level aliases are judged where orchestration code uses them.
      code: awsHandler(`return [Object.keys(env), ENV, globalThis.process.argv];`, `import { env } from "node:process";
const ENV = process.env;`),
      errors: [
        { messageId: "found", line: 5, column: 21, data: { source: "env (process.env)", where: "", problem: WHOLE, fix: "read the variables you need by name, or record the object in context.step(...)" }, suggestions: [] },
        { messageId: "found", line: 5, column: 27, suggestions: [] },
        { messageId: "found", line: 5, column: 32, suggestions: [] },
      ],
    },
  ],
});
