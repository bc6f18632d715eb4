import { ESLint as ESLint10 } from "eslint";
import { ESLint as ESLint9 } from "eslint-v9";
import { describe, expect, it } from "vitest";
import plugin from "../../eslint-plugin/index.js";

const handler = `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event, context) => {
  const startedAt = Date.now();
  console.log("start", startedAt);
  const trace = process.env._X_AMZN_TRACE_ID;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return context.invoke("payments", { id: context.lambdaContext.awsRequestId, at: await fetch(event.url) });
});
`;

const expected = [
  "3:replayable/no-nondeterminism-outside-step",
  "4:replayable/replay-aware-logging",
  "5:replayable/no-env-outside-step",
  "6:replayable/no-timers",
  "7:replayable/qualified-invoke-target",
  "7:replayable/no-invocation-context-read",
  "7:replayable/no-io-outside-step",
];

describe.each([
  ["ESLint 9", ESLint9],
  ["ESLint 10", ESLint10],
] as const)("flat config on %s", (_, ESLint) => {
  it.each(["recommended", "strict"] as const)("%s reports the same sites, in .ts and .js files", async (configName) => {
    const eslint = new ESLint({ cwd: import.meta.dirname, overrideConfigFile: true, overrideConfig: [plugin.configs[configName]] as never });
    for (const filePath of ["handler.ts", "handler.mjs"]) {
      const [result] = await eslint.lintText(handler, { filePath });
      const found = result!.messages.map((message) => `${message.line}:${message.ruleId}`);
      expect(found.sort()).toEqual([...expected].sort());
    }
  });
});
