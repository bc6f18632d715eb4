// The examples are what a newcomer reads first: each marks its mistakes with trailing
// `// expect: rule` comments. This runs the demo's own linting function with the source
// plugin (no build needed) and checks that every example reports exactly what it says;
// the runnable handlers in examples/run/ must be clean. Then the demo's second half: the
// payment flow on the engine, killed during its wait and restarted, charged exactly once.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ESLint } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import plugin from "../eslint-plugin/index.js";
import { DEMO_EXECUTION_ID, runEngineDemo } from "../scripts/engine-demo.mjs";
import {
  actualFindings,
  EXAMPLES_DIR,
  expectedFindings,
  formatResults,
  lintExamples,
  summarize,
} from "../scripts/lint-examples.mjs";
import { buildCli, REPO, type CliBuild } from "./cli/cli-build.js";

/** The rules of the linter's part 1, each of which an example demonstrates. */
const SOURCE_RULES = [
  "no-nondeterminism-outside-step",
  "no-io-outside-step",
  "no-env-outside-step",
  "no-timers",
  "no-invocation-context-read",
  "replay-aware-logging",
  "qualified-invoke-target",
];

const exampleFiles = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith(".ts"))
  .sort();
/** The runnable handlers (`replayable run examples/run/<file>`), relative to examples/. */
const runnableFiles = readdirSync(path.join(EXAMPLES_DIR, "run"))
  .filter((name) => name.endsWith(".ts"))
  .map((name) => `run/${name}`)
  .sort();

let results: ESLint.LintResult[];

beforeAll(async () => {
  results = await lintExamples({ plugin });
});

function resultFor(file: string): ESLint.LintResult {
  const result = results.find((candidate) => path.relative(EXAMPLES_DIR, candidate.filePath).split(path.sep).join("/") === file);
  if (!result) throw new Error(`${file} was not linted`);
  return result;
}

describe("examples/", () => {
  it("holds 4 to 6 handler files, each listed in examples/README.md", () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(4);
    expect(exampleFiles.length).toBeLessThanOrEqual(6);
    const readme = readFileSync(path.join(EXAMPLES_DIR, "README.md"), "utf8");
    for (const file of exampleFiles) expect(readme).toContain(file);
  });

  it("lints every example, the runnable ones too", () => {
    expect(results.map((result) => path.relative(EXAMPLES_DIR, result.filePath).split(path.sep).join("/")).sort()).toEqual([...exampleFiles, ...runnableFiles].sort());
  });

  it("holds the four runnable handlers of the engine demo, each clean and listed in examples/README.md", () => {
    expect(runnableFiles).toEqual(["run/expense-approval.ts", "run/image-fan-out.ts", "run/order-payment.ts", "run/trip-saga.ts"]);
    const readme = readFileSync(path.join(EXAMPLES_DIR, "README.md"), "utf8");
    for (const file of runnableFiles) {
      expect(readme).toContain(file);
      expect(resultFor(file).messages).toEqual([]);
      expect(readFileSync(path.join(EXAMPLES_DIR, file), "utf8")).not.toContain("// expect:");
    }
  });

  it.each(exampleFiles)("%s reports exactly the findings its `// expect:` comments announce", (file) => {
    const text = readFileSync(path.join(EXAMPLES_DIR, file), "utf8");
    const result = resultFor(file);
    expect(result.messages.filter((message) => message.fatal)).toEqual([]);
    expect(actualFindings(result)).toEqual(expectedFindings(text));
  });

  it("shows each of the seven source rules at least once", () => {
    const reported = new Set(summarize(results).perRule.keys());
    for (const rule of SOURCE_RULES) expect(reported).toContain(`replayable/${rule}`);
  });

  it("keeps the clean example clean", () => {
    expect(resultFor("refund-saga.ts").messages).toEqual([]);
  });

  it("explains a helper's finding with the call chain that reached it", () => {
    const [finding] = resultFor("fan-out-map.ts").messages.filter((message) => message.message.includes("shardPrefix"));
    expect(finding?.message).toMatch(/^Math\.random\(\) in shardPrefix\(\), called from handler generateThumbnails at examples\/fan-out-map\.ts:\d+/);
  });

  it("offers the safe rewrites the comments promise", () => {
    const rewrites = (file: string, needle: string) => {
      const line = readFileSync(path.join(EXAMPLES_DIR, file), "utf8").split("\n").findIndex((text) => text.includes(needle)) + 1;
      return resultFor(file)
        .messages.filter((message) => message.line === line)
        .flatMap((message) => (message.suggestions ?? []).map((suggestion) => suggestion.fix.text));
    };
    expect(rewrites("approval-callback.ts", "setTimeout(resolve")).toEqual(["context.wait({ seconds: 3600 })"]);
    expect(rewrites("shipment-polling.ts", "randomUUID()")).toContain("context.uuid()");
    expect(rewrites("order-payment.ts", "console.log(")).toEqual(["context.logger.info"]);
    expect(rewrites("order-payment.ts", "Date.now()")).toEqual(['await context.step("receivedAt", async () => Date.now())']);
  });

  it("prints findings grouped per file with a per-rule summary", () => {
    const output = formatResults(results);
    for (const file of [...exampleFiles, ...runnableFiles]) expect(output).toContain(`examples/${file}`);
    const { errors, warnings } = summarize(results);
    expect(output).toContain(`${errors + warnings} findings (${errors} errors, ${warnings} warnings)`);
    expect(output).toMatch(/by rule: replayable\/no-nondeterminism-outside-step \d+/);
    expect(output).toContain("suggestion:");
  });
});

describe("the engine demo", () => {
  let build: CliBuild;
  beforeAll(async () => {
    build = await buildCli();
  }, 60_000);
  afterAll(() => build?.remove());

  it("kills the payment flow during its wait, runs it again, and it completes with exactly one charge", async () => {
    const lines: string[] = [];
    const demo = await runEngineDemo({ bin: build.bin, cwd: REPO, print: (line: string) => lines.push(line), settlementSeconds: 2 });
    const output = demo.output.join("\n");
    expect(demo.killedDuringWait, output).toBe(true);
    expect(demo.exitCodes, output).toEqual([137, 0]);
    expect(demo.charges, output).toHaveLength(1);
    expect(demo.ok).toBe(true);
    expect(output).toContain(`$ replayable run examples/run/order-payment.ts --id ${DEMO_EXECUTION_ID} --input`);
    expect(output).toMatch(/│ waiting: wait 'settlement' ends in \d+m?s\n✂ kill -9 \d+: the process died during the settlement wait/);
    expect(output).toContain("already in the store: RUNNING");
    expect(output).toMatch(/│ {3}✓ charge +step +SUCCEEDED .* inv 1\n/);
    expect(output).toMatch(/│ {3}✓ receipt +step +SUCCEEDED .* inv 2\n/);
    expect(output).toContain("│ ✓ SUCCEEDED in ");
    expect(output).toContain("✓ charged exactly once");
  }, 60_000);
});

describe("expectedFindings", () => {
  it("reads one or more rules from a trailing comment, with or without the plugin prefix", () => {
    const text = ["const a = 1;", "const t = Date.now(); // expect: no-nondeterminism-outside-step", "f(); // expect: replayable/no-io-outside-step, no-timers"].join("\n");
    expect(expectedFindings(text)).toEqual(["2:no-nondeterminism-outside-step", "3:no-io-outside-step", "3:no-timers"]);
  });
});
