/**
 * The Node host: `node --import replayable/register` on Node 20, which cannot strip types,
 * so the hook transpiles with the edit plan applied in the same pass. Every golden input
 * served by the real hook equals the golden output transpiled alone; a real child process
 * runs a TypeScript handler, and a stack trace thrown from it points at the original lines.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goldenCases, runCase } from "./golden.js";
import { createProject, writeFiles } from "./package-fixture.js";

const cases = goldenCases();

interface Hooks {
  load(url: string, context: object, nextLoad: (url: string) => Promise<never>): Promise<{ format: string; source: string }>;
  NODE_COMPILER_OPTIONS: ts.CompilerOptions;
}

let dir: string;
let hooks: Hooks;

beforeAll(async () => {
  dir = await createProject("node");
  const files: Record<string, string> = {};
  for (const testCase of cases) files[`input/${testCase.name}/input.ts`] = testCase.input;
  writeFiles(dir, files);
  hooks = (await import(path.join(dir, "node_modules/replayable/dist/transformer/node-hooks.js"))) as Hooks;
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const withoutMap = (code: string) => code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");

describe("Node loader hook (replayable/register)", () => {
  it.each(cases)("$name: serves what output.ts transpiles to", async (testCase) => {
    process.env["REPLAYABLE_TRANSFORM"] = JSON.stringify(testCase.options);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const url = pathToFileURL(path.join(dir, `input/${testCase.name}/input.ts`)).href;
      const loaded = await hooks.load(url, {}, () => Promise.reject(new Error("the hook must serve TypeScript itself")));
      expect(loaded.format).toBe("module");
      const expected = ts.transpileModule(testCase.output, { fileName: "input.ts", compilerOptions: { ...hooks.NODE_COMPILER_OPTIONS, sourceMap: false } }).outputText;
      expect(withoutMap(loaded.source)).toBe(withoutMap(expected));
      expect(loaded.source).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
      await new Promise((resolve) => setImmediate(resolve));
      for (const diagnostic of runCase(testCase).diagnostics) expect(warnings.join("\n")).toContain(diagnostic.message);
    } finally {
      process.off("warning", onWarning);
      delete process.env["REPLAYABLE_TRANSFORM"];
    }
  });

  it("runs a TypeScript handler in a real `node --import replayable/register` process, with stack traces on the original lines", () => {
    const handler = [
      'import type { DurableContext } from "replayable";', // 1
      "", // 2
      "interface Order {", // 3
      "  readonly amount: number;", // 4
      "}", // 5
      "", // 6
      "function explode(amount: number): never {", // 7
      '  throw new Error(`cannot charge ${amount}`);', // 8
      "}", // 9
      "", // 10
      "export async function checkout(event: Order, ctx: DurableContext) {", // 11
      "  const startedAt = Date.now();", // 12
      "  const receipt = await ctx.step(async () => (event.amount < 0 ? explode(event.amount) : `charged ${event.amount}`));", // 13
      "  return { receipt, startedAt };", // 14
      "}", // 15
      "",
    ].join("\n");
    const main = [
      'import { checkout } from "./handler.js";',
      "const names: string[] = [];",
      "const ctx = { step: async (name: string, fn: () => Promise<unknown>) => { names.push(name); return fn(); } };",
      "const ok = await checkout({ amount: 5 }, ctx as never);",
      "console.log(JSON.stringify({ names, receipt: ok.receipt, startedAt: typeof ok.startedAt }));",
      "try { await checkout({ amount: -1 }, ctx as never); } catch (error) { console.log((error as Error).stack); }",
      "",
    ].join("\n");
    writeFiles(dir, { "app/handler.ts": handler, "app/main.ts": main });
    const run = spawnSync(process.execPath, ["--import", "replayable/register", "app/main.ts"], { cwd: dir, encoding: "utf8" });
    expect(run.stderr).not.toMatch(/Error/);
    const [summary, ...stack] = run.stdout.trim().split("\n");
    expect(JSON.parse(summary!)).toEqual({ names: ["checkout/startedAt", "checkout/receipt"], receipt: "charged 5", startedAt: "number" });
    const handlerFile = path.join(dir, "app/handler.ts");
    expect(stack[0]).toBe("Error: cannot charge -1");
    // The throw at 8:9, and the call of explode() inside the renamed step at 13:66 (columns of the original
    // line: the inserted name and the stripped types would shift them).
    expect(stack[1]).toContain(`${handlerFile}:8:9`);
    expect(stack[2]).toContain(`${handlerFile}:13:66`);
  });
});
