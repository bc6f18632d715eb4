// The conformance handlers: one per requirement, all type-checked (handler-types.ts), and a
// sample run on both in-process runners (replayable's runtime and the official SDK) with the
// result compared, and on replayable's runner the history too. The whole set runs with
// `npx tsx conformance/main.ts`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS_SDK, loadHandler, rewriteForRuntime } from "../../conformance/handler-module.js";
import { DEFAULT_REQUIREMENTS_DIR, loadRequirements, type Requirement } from "../../conformance/requirements.js";
import { describeReport, HANDLERS_DIR, handlerPathFor, runRequirement } from "../../conformance/run.js";
import type { ConformanceTarget } from "../../conformance/target.js";
import { awsTestRunnerTarget, replayableTestRunnerTarget } from "../../conformance/targets/local-runners.js";

// Not skipped when missing: a run without the requirements must say so, not pass quietly.
it("finds AWS's requirement files", () => {
  expect(existsSync(DEFAULT_REQUIREMENTS_DIR), `no conformance requirements at ${DEFAULT_REQUIREMENTS_DIR}; set REPLAYABLE_CONFORMANCE_DIR`).toBe(true);
});
const requirements = existsSync(DEFAULT_REQUIREMENTS_DIR) ? loadRequirements(DEFAULT_REQUIREMENTS_DIR) : [];

const handlerFiles = () =>
  readdirSync(HANDLERS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(HANDLERS_DIR, d.name)).map((f) => `${d.name}/${f}`));

describe("handler modules", () => {
  it("are all listed in handler-types.ts, so npm run typecheck checks them", () => {
    const listed = [...readFileSync(new URL("./handler-types.ts", import.meta.url), "utf8").matchAll(/conformance\/handlers\/([^"]+)\.js"/g)].map((m) => `${m[1]}.ts`);
    expect(listed.sort()).toEqual(handlerFiles().sort());
  });

  it("import only the AWS SDK, Node built-ins and history.ts (which imports only the AWS Lambda client), and export `handler`", () => {
    const importsOf = (source: string) => [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]!);
    expect(importsOf(readFileSync(join(HANDLERS_DIR, "history.ts"), "utf8"))).toEqual(["@aws-sdk/client-lambda"]);
    for (const file of handlerFiles()) {
      const source = readFileSync(join(HANDLERS_DIR, file), "utf8");
      expect(importsOf(source).filter((s) => s !== AWS_SDK && s !== "../history.js" && !s.startsWith("node:")), file).toEqual([]);
      expect(source, file).toMatch(/export const handler = withDurableExecution\(/);
    }
  });

  it("exist for every requirement outside the plugin suite, and only for requirements", () => {
    const missing = requirements.filter((r) => r.suite !== "plugin" && !existsSync(handlerPathFor(r))).map((r) => `${r.suite}/${r.id}`);
    expect(missing).toEqual([]);
    const known = new Set(requirements.map((r) => `${r.suite}/${r.id}.ts`));
    expect(handlerFiles().filter((f) => !known.has(f))).toEqual([]);
  });

  it("are rewritten to the chosen runtime: the SDK import retargeted, relative imports made absolute", () => {
    const source = [
      `import { withDurableExecution, type DurableContext } from "${AWS_SDK}";`,
      `import { helper } from "./helper.js";`,
      `import { join } from "node:path";`,
      `export { StepError } from "${AWS_SDK}";`,
      `export const handler = withDurableExecution(async (e: string, c: DurableContext) => join(e, await helper()));`,
    ].join("\n");
    const js = rewriteForRuntime(source, "/h/step/1-1.ts", "file:///rt/index.ts");
    expect(js).toContain('import { withDurableExecution } from "file:///rt/index.ts";');
    expect(js).toContain('import { helper } from "file:///h/step/helper.js";');
    expect(js).toContain('import { join } from "node:path";');
    expect(js).toContain('export { StepError } from "file:///rt/index.ts";');
    expect(js).not.toContain(AWS_SDK);
    expect(() => rewriteForRuntime("export const = ;", "/h/bad.ts", "x")).toThrow(/\/h\/bad\.ts: /);
  });

  it("load as fresh modules for either runtime", async () => {
    const file = join(HANDLERS_DIR, "step", "1-1.ts");
    const a = await loadHandler(file, "replayable");
    const b = await loadHandler(file, "replayable");
    expect(a.module).not.toBe(b.module);
    expect(typeof a.handler).toBe("function");
    expect(typeof (await loadHandler(file, "aws")).handler).toBe("function");
  });
});

// A sample across the suites, cheap on both runners (the official runner waits out callback
// timeouts in real time, so those stay out). Expected to pass on both.
const SAMPLE = ["1-1", "1-11", "1-16", "2-3", "3-6", "3-14", "4-13", "4-18", "5-14", "5-16", "6-1", "6-11", "7-9", "7-13", "8-14", "8-21", "9-13", "9-18"];

describe("a sample of requirements", () => {
  const sample = SAMPLE.map((id) => requirements.find((r) => r.id === id)).filter((r): r is Requirement => r !== undefined);

  it("is all there", () => {
    expect(sample.map((r) => r.id)).toEqual(SAMPLE);
  });

  const onTarget = (make: () => ConformanceTarget, check: (report: Awaited<ReturnType<typeof runRequirement>>) => void) => () => {
    const target = make();
    beforeAll(async () => target.setup?.());
    afterAll(async () => target.teardown?.());
    for (const id of SAMPLE) {
      it(id, async () => {
        const req = sample.find((r) => r.id === id)!;
        const report = await runRequirement(req, target, { timeoutMs: 20_000 });
        check(report);
      });
    }
  };

  describe(
    "on replayable's runtime and test runner: result and history",
    onTarget(replayableTestRunnerTarget, (report) => {
      expect(report.verdict, describeReport(report)).toBe("passed");
      expect(report.result === "matched" || report.result === "not-compared").toBe(true);
      expect(report.history).toBe("matched");
    }),
  );

  describe(
    "on the official SDK and its test runner: result",
    onTarget(awsTestRunnerTarget, (report) => {
      expect(report.verdict, describeReport(report)).toBe("passed");
      expect(report.result === "matched" || report.result === "not-compared").toBe(true);
    }),
  );
});
