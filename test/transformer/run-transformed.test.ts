/**
 * Transformed handlers run: each program in test/transformer/programs/ is transformed (names
 * and rewrites), then run on replayable's LocalDurableTestRunner with the replay check on
 * (import switched to "replayable") and on the official AWS LocalDurableTestRunner; both
 * give the same result, and the operations are found under their stable IDs.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LocalDurableTestRunner as AwsRunner } from "@aws/durable-execution-sdk-js-testing";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { transform } from "../../transformer/index.js";
import { REPO } from "./package-fixture.js";

const PROGRAMS = path.join(path.dirname(fileURLToPath(import.meta.url)), "programs");
/** Inside the repository (and outside node_modules), so vitest loads the generated modules and they resolve the SDK packages. */
const GENERATED = path.join(REPO, "test/transformer/.generated");
const RUNTIME = pathToFileURL(path.join(REPO, "runtime/index.ts")).href;

interface Program {
  readonly file: string;
  readonly exportName: string;
  readonly payload: unknown;
  readonly expected: unknown;
  /** Operations that must exist under these IDs after the run. */
  readonly ids: readonly string[];
}

const programs: Program[] = [
  {
    file: "order-workflow.ts",
    exportName: "orderWorkflow",
    payload: { id: "o-1", items: [{ sku: "a", quantity: 2 }, { sku: "b", quantity: 3 }] },
    expected: { total: 5, reserved: ["ax2", "bx3"], receipt: "charged 5 for o-1", roll: true, requestIdKept: true, clock: true },
    ids: ["orderWorkflow/startedAt", "orderWorkflow/total", "orderWorkflow/reserved", "orderWorkflow/wait", "orderWorkflow/receipt", "orderWorkflow/audit"],
  },
  {
    file: "approval-workflow.ts",
    exportName: "approvalWorkflow",
    payload: { amount: 1200 },
    expected: { approved: false, decidedAtIsDate: true, tickets: 3, inRange: true },
    ids: ["approvalWorkflow/checks", "approvalWorkflow/decidedAt", "approvalWorkflow/approved", "approvalWorkflow/wait"],
  },
];

/** Transforms a program for one runtime and loads it as a module. */
async function load(program: Program, runtime: "replayable" | "aws", transformed = true): Promise<unknown> {
  let source = fs.readFileSync(path.join(PROGRAMS, program.file), "utf8");
  if (runtime === "replayable") source = source.replace('"@aws/durable-execution-sdk-js"', '"replayable"');
  const result = transformed ? transform(source, program.file) : { code: source, diagnostics: [] };
  expect(result.diagnostics).toEqual([]);
  const javascript = ts.transpileModule(result.code.replaceAll('from "replayable"', `from ${JSON.stringify(RUNTIME)}`), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  fs.mkdirSync(GENERATED, { recursive: true });
  const file = path.join(GENERATED, `${runtime}-${transformed ? "" : "raw-"}${program.file.replace(/\.ts$/, "")}-${process.pid}.mjs`);
  fs.writeFileSync(file, javascript);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return module[program.exportName];
}

describe("transformed handlers run on both runtimes", () => {
  beforeAll(() => AwsRunner.setupTestEnvironment({ skipTime: true }));
  afterAll(async () => {
    await AwsRunner.teardownTestEnvironment();
    fs.rmSync(GENERATED, { recursive: true, force: true });
  });

  it("needs the transformer: untransformed, the order workflow fails replayable's replay check", async () => {
    const handler = await load(programs[0]!, "replayable", false);
    const run = new LocalDurableTestRunner({ handlerFunction: handler as never, replayCheck: true }).run({ payload: programs[0]!.payload });
    await expect(run).rejects.toThrow(/Replay check .*"requestIdKept":false,"clock":false/);
  });

  describe.each(programs)("$file", (program) => {
    it("on replayable's runner with the replay check on", async () => {
      const handler = await load(program, "replayable");
      const runner = new LocalDurableTestRunner({ handlerFunction: handler as never, replayCheck: true });
      const result = await runner.run({ payload: program.payload });
      expect(result.getStatus(), result.getStatus() === "SUCCEEDED" ? "" : JSON.stringify(result.getError())).toBe("SUCCEEDED");
      expect(result.getResult()).toEqual(program.expected);
      for (const id of program.ids) expect(runner.getOperation(id).getStatus(), id).toBe("SUCCEEDED");
    });

    it("on the official AWS runner, with the same result", async () => {
      const handler = await load(program, "aws");
      const runner = new AwsRunner({ handlerFunction: handler as never });
      const result = await runner.run({ payload: program.payload });
      expect(result.getStatus()).toBe("SUCCEEDED");
      expect(result.getResult()).toEqual(program.expected);
      for (const id of program.ids) expect(runner.getOperation(id).getStatus(), id).toBe("SUCCEEDED");
    });
  });
});
