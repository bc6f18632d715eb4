/**
 * The Node host: `node --import replayable/register` on Node 20, which cannot strip types,
 * so the hook transpiles with the edit plan applied in the same pass. Every golden input
 * served by the real hook equals the golden output transpiled alone; real child processes
 * run TypeScript, TSX, .cts and JavaScript (ES module and CommonJS) handlers, whose operations
 * get the names `transform()` (so `replayable ids`) gives, and whose stack traces point at the
 * original lines.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transform } from "../../transformer/transform.js";
import { goldenCases, runCase } from "./golden.js";
import { createProject, REPO, writeFiles } from "./package-fixture.js";

const cases = goldenCases();

interface LoadResult {
  format: string;
  source?: string | null;
}
interface Hooks {
  load(url: string, context: object, nextLoad: (url: string) => Promise<LoadResult>): Promise<LoadResult>;
}
interface NodeCompile {
  compilerOptionsFor(fileName: string, typescript: typeof ts): ts.CompilerOptions;
}

let dir: string;
let hooks: Hooks;
let nodeCompile: NodeCompile;

beforeAll(async () => {
  dir = await createProject("node");
  const files: Record<string, string> = {};
  for (const testCase of cases) files[`input/${testCase.name}/input.ts`] = testCase.input;
  writeFiles(dir, files);
  await addRuntime(dir);
  hooks = (await import(path.join(dir, "node_modules/replayable/dist/transformer/node-hooks.js"))) as Hooks;
  nodeCompile = (await import(path.join(dir, "node_modules/replayable/dist/transformer/node-compile.js"))) as NodeCompile;
}, 60_000);

/** replayable's runtime and test runner (`replayable`, `replayable/testing`), built into the fixture's package, so handlers there run for real. */
async function addRuntime(root: string): Promise<void> {
  const pkg = path.join(root, "node_modules/replayable");
  await build({
    entryPoints: { "runtime/index": path.join(REPO, "runtime/index.ts"), "testing/index": path.join(REPO, "testing/index.ts") },
    outdir: path.join(pkg, "dist"),
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")) as { exports: Record<string, string> };
  manifest.exports["."] = "./dist/runtime/index.js";
  manifest.exports["./testing"] = "./dist/testing/index.js";
  fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest));
}

/** Runs `node --import replayable/register <main>` in the fixture; its last stdout line is JSON. */
function runRegistered(main: string): { output: unknown; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", "replayable/register", main], { cwd: dir, encoding: "utf8" });
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  if (run.status !== 0 || !last.startsWith("{")) throw new Error(`node --import replayable/register ${main} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return { output: JSON.parse(last), stderr: run.stderr };
}

/** Runs each handler export of each file with replayable's test runner; prints what its operations were named and what it returned. */
const RUN_HANDLERS = `import { LocalDurableTestRunner } from "replayable/testing";
export async function runHandlers(handlers) {
  const out = {};
  for (const [name, handlerFunction] of Object.entries(handlers)) {
    const result = await new LocalDurableTestRunner({ handlerFunction }).run({ payload: { id: 7 } });
    out[name] = { status: result.getStatus(), names: result.getOperations().map((op) => op.getName()), ...(result.getStatus() === "SUCCEEDED" ? { result: result.getResult() } : { error: result.getError() }) };
  }
  console.log(JSON.stringify(out));
}
`;

/** What `replayable ids` names the file's operations: the ids of the same transform. */
const idsOf = (file: string) => transform(fs.readFileSync(path.join(dir, file), "utf8"), path.join(dir, file)).ids.map((entry) => entry.id);

/** `file:line:column` of the first `needle` in a fixture file (1-based, as in stack traces). */
function positionOf(file: string, needle: string): string {
  const lines = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
  const line = lines.findIndex((text) => text.includes(needle));
  return `${path.join(dir, file)}:${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
}

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
      const expected = ts.transpileModule(testCase.output, { fileName: "input.ts", compilerOptions: { ...nodeCompile.compilerOptionsFor("input.ts", ts), sourceMap: false } }).outputText;
      expect(withoutMap(loaded.source ?? "")).toBe(withoutMap(expected));
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

  it("names the operations of JavaScript handlers (.mjs, .js, .cjs, CommonJS .js) as `replayable ids` does, with stack traces on the original lines", () => {
    // Each step returns the stack of an error made inside it: where the step function is, in the file.
    const handler = (name: string, module: "esm" | "cjs") =>
      [
        module === "esm" ? 'import { withDurableExecution } from "replayable";' : 'const { withDurableExecution } = require("replayable");',
        "",
        `${module === "esm" ? "export const" : "exports."}${module === "esm" ? " " : ""}${name} = withDurableExecution(async (event, ctx) => {`,
        `  const trace = await ctx.step(async () => new Error("${name} " + event.id).stack);`,
        "  await ctx.wait({ seconds: 1 });",
        "  return trace;",
        "});",
        "",
      ].join("\n");
    writeFiles(dir, {
      "js/run-handlers.mjs": RUN_HANDLERS,
      "js/orders.mjs": handler("orders", "esm"),
      "js/ledger.js": handler("ledger", "esm"),
      "js/refunds.cjs": handler("refunds", "cjs"),
      // A CommonJS package inside the project, and a CommonJS file reached only through require().
      "js/legacy/package.json": JSON.stringify({ type: "commonjs" }),
      "js/legacy/index.js": 'exports.payouts = require("./payouts.js").payouts;\n',
      "js/legacy/payouts.js": handler("payouts", "cjs"),
      "js/main.mjs": [
        'import { runHandlers } from "./run-handlers.mjs";',
        'import { orders } from "./orders.mjs";',
        'import { ledger } from "./ledger.js";',
        'import { refunds } from "./refunds.cjs";',
        'import { payouts } from "./legacy/index.js";',
        "await runHandlers({ orders, ledger, refunds, payouts });",
        "",
      ].join("\n"),
    });
    const { output } = runRegistered("js/main.mjs");
    const files = { orders: "js/orders.mjs", ledger: "js/ledger.js", refunds: "js/refunds.cjs", payouts: "js/legacy/payouts.js" };
    for (const [name, file] of Object.entries(files)) {
      const ran = (output as Record<string, { status: string; names: string[]; result: string }>)[name]!;
      expect({ name, status: ran.status, names: ran.names }).toEqual({ name, status: "SUCCEEDED", names: [`${name}/trace`, `${name}/wait`] });
      expect(ran.names).toEqual(idsOf(file));
      // The column of `new Error` in the original line: the inserted name would shift it.
      expect(ran.result.split("\n")[1]).toContain(positionOf(file, "new Error"));
    }
  });

  it("runs .cts (CommonJS) and .tsx/.jsx (JSX) handlers, resolving NodeNext's ./x.cjs and ./x.js to them, with stack traces on the original lines", () => {
    writeFiles(dir, {
      // A JSX runtime of the project's own, named by the pragma.
      "node_modules/tiny-jsx/package.json": JSON.stringify({ name: "tiny-jsx", type: "module", exports: { "./jsx-runtime": "./jsx-runtime.js" } }),
      "node_modules/tiny-jsx/jsx-runtime.js": [
        "export function jsx(type, props) {",
        "  const children = [].concat(props.children ?? []).join(\"\");",
        "  return typeof type === \"function\" ? type({ ...props, children }) : `<${type}>${children}</${type}>`;",
        "}",
        "export const jsxs = jsx;",
        "",
      ].join("\n"),
      "tsx/run-handlers.mjs": RUN_HANDLERS,
      "tsx/tax.cts": "export function rate(): number {\n  return 3;\n}\n",
      "tsx/billing.cts": [
        'import { withDurableExecution, type DurableContext } from "replayable";',
        'import { rate } from "./tax.cjs";',
        "",
        "export const billing = withDurableExecution(async (event: { id: number }, ctx: DurableContext) => {",
        "  const taxed = await ctx.step(async () => rate() * event.id);",
        "  const trace = await ctx.step(async (): Promise<string> => new Error(`billing ${taxed}`).stack!);",
        "  return trace;",
        "});",
        "",
      ].join("\n"),
      "tsx/badge.jsx": "/** @jsxImportSource tiny-jsx */\nexport const Badge = (props) => <i>{props.children}</i>;\n",
      "tsx/receipt.tsx": [
        "/** @jsxImportSource tiny-jsx */",
        'import { withDurableExecution, type DurableContext } from "replayable";',
        'import { Badge } from "./badge.jsx";',
        "",
        "export const receipt = withDurableExecution(async (event: { id: number }, ctx: DurableContext) => {",
        "  const html = await ctx.step(async () => <b>order <Badge>{event.id}</Badge></b>);",
        "  const trace = await ctx.step(async (): Promise<string> => new Error(`receipt ${html}`).stack!);",
        "  return trace;",
        "});",
        "",
      ].join("\n"),
      "tsx/main.ts": [
        "// @ts-nocheck",
        'import { runHandlers } from "./run-handlers.mjs";',
        'import { billing } from "./billing.cjs";',
        'import { receipt } from "./receipt.js";',
        "await runHandlers({ billing, receipt });",
        "",
      ].join("\n"),
    });
    const { output } = runRegistered("tsx/main.ts");
    const ran = output as Record<string, { status: string; names: string[]; result: string; error: unknown }>;
    expect(ran["billing"]).toMatchObject({ status: "SUCCEEDED", names: ["billing/taxed", "billing/trace"] });
    expect(ran["receipt"]).toMatchObject({ status: "SUCCEEDED", names: ["receipt/html", "receipt/trace"] });
    expect(ran["billing"]!.names).toEqual(idsOf("tsx/billing.cts"));
    expect(ran["receipt"]!.names).toEqual(idsOf("tsx/receipt.tsx"));
    const [billingMessage, billingFrame] = ran["billing"]!.result.split("\n");
    expect(billingMessage).toBe("Error: billing 21");
    expect(billingFrame).toContain(positionOf("tsx/billing.cts", "new Error"));
    const [receiptMessage, receiptFrame] = ran["receipt"]!.result.split("\n");
    expect(receiptMessage).toBe("Error: receipt <b>order <i>7</i></b>");
    expect(receiptFrame).toContain(positionOf("tsx/receipt.tsx", "new Error"));
  });

  it("runs .ts with ES module syntax in a package without \"type\" as an ES module, as Node's detect-module does (import.meta, top-level await)", () => {
    writeFiles(dir, {
      "typeless/package.json": JSON.stringify({ name: "typeless" }),
      "typeless/main.ts": [
        'import { fileURLToPath } from "node:url";',
        "const here: string = fileURLToPath(import.meta.url);",
        "const later = await Promise.resolve(here.endsWith(\"main.ts\"));",
        "console.log(JSON.stringify({ later }));",
        "",
      ].join("\n"),
    });
    const run = spawnSync(process.execPath, ["--import", "replayable/register", "typeless/main.ts"], { cwd: dir, encoding: "utf8" });
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout.trim() }).toEqual({ status: 0, stderr: "", stdout: '{"later":true}' });
  });

  it("compiles .ts in a CommonJS package as CommonJS, as tsc's nodenext does (__dirname, import = require, extensionless imports), and .ts reached through require()", () => {
    writeFiles(dir, {
      "cjs-ts/run-handlers.mjs": RUN_HANDLERS,
      // No "type": CommonJS, as for Node and tsc.
      "cjs-ts/lib/package.json": JSON.stringify({ name: "cjs-lib" }),
      "cjs-ts/lib/helper.ts": "export function label(id: number): string {\n  return `order ${id}`;\n}\n",
      "cjs-ts/lib/twice.ts": "export const twice = (n: number): number => n * 2;\n",
      "cjs-ts/lib/located.ts": [
        'import path = require("node:path");',
        'import { label } from "./helper";',
        'import { withDurableExecution, type DurableContext } from "replayable";',
        "",
        "export const located = withDurableExecution(async (event: { id: number }, ctx: DurableContext) => {",
        "  const where = await ctx.step(async () => `${label(event.id)} in ${path.basename(__dirname)}`);",
        "  const trace = await ctx.step(async (): Promise<string> => new Error(`located ${where}`).stack!);",
        "  return trace;",
        "});",
        "",
      ].join("\n"),
      // CommonJS JavaScript that require()s a TypeScript file by its name.
      "cjs-ts/lib/legacy.cjs": 'exports.doubled = require("./twice.ts").twice(21);\n',
      "cjs-ts/main.ts": [
        "// @ts-nocheck",
        'import { runHandlers } from "./run-handlers.mjs";',
        'import { located } from "./lib/located.js";',
        'import { doubled } from "./lib/legacy.cjs";',
        "console.log(JSON.stringify({ doubled }));",
        "await runHandlers({ located });",
        "",
      ].join("\n"),
    });
    const run = spawnSync(process.execPath, ["--import", "replayable/register", "cjs-ts/main.ts"], { cwd: dir, encoding: "utf8" });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    const [doubled, handlers] = run.stdout.trim().split("\n");
    expect(JSON.parse(doubled!)).toEqual({ doubled: 42 });
    const ran = (JSON.parse(handlers!) as Record<string, { status: string; names: string[]; result: string }>)["located"]!;
    expect(ran).toMatchObject({ status: "SUCCEEDED", names: ["located/where", "located/trace"] });
    expect(ran.names).toEqual(idsOf("cjs-ts/lib/located.ts"));
    const [message, frame] = ran.result.split("\n");
    expect(message).toBe("Error: located order 7 in lib");
    expect(frame).toContain(positionOf("cjs-ts/lib/located.ts", "new Error"));
  });

  it("transforms JavaScript compiled with a source map, and keeps stack traces on the lines of its TypeScript", () => {
    const source = [
      'import { withDurableExecution, type DurableContext } from "replayable";',
      "",
      "interface Shipment {",
      "  readonly id: number;",
      "}",
      "",
      "export const shipping = withDurableExecution(async (event: Shipment, ctx: DurableContext) => {",
      "  const trace = await ctx.step(async (): Promise<string> => new Error(`shipping ${event.id}`).stack!);",
      "  return trace;",
      "});",
      "",
    ].join("\n");
    // What tsc with sourceMap writes: build/shipping.js, its map beside it, pointing at ../src/shipping.ts.
    const compiled = ts.transpileModule(source, { fileName: "shipping.ts", compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true } });
    const map = { ...(JSON.parse(compiled.sourceMapText!) as object), file: "shipping.js", sources: ["../src/shipping.ts"] };
    writeFiles(dir, {
      "compiled/src/shipping.ts": source,
      "compiled/build/shipping.js": compiled.outputText.replace(/sourceMappingURL=.*$/m, "sourceMappingURL=shipping.js.map"),
      "compiled/build/shipping.js.map": JSON.stringify(map),
      "compiled/build/run-handlers.mjs": RUN_HANDLERS,
      "compiled/build/main.mjs": 'import { runHandlers } from "./run-handlers.mjs";\nimport { shipping } from "./shipping.js";\nawait runHandlers({ shipping });\n',
    });
    const { output } = runRegistered("compiled/build/main.mjs");
    const ran = (output as Record<string, { status: string; names: string[]; result: string }>)["shipping"]!;
    expect(ran).toMatchObject({ status: "SUCCEEDED", names: ["shipping/trace"] });
    expect(ran.result.split("\n")[1]).toContain(positionOf("compiled/src/shipping.ts", "new Error"));
  });

  it("serves JavaScript without a durable handler exactly as Node loads it, and leaves CommonJS to require()", async () => {
    writeFiles(dir, {
      "plain/util.mjs": "export const twice = (n) => n * 2;\n",
      "plain/handler.cjs": 'const { withDurableExecution } = require("replayable");\nexports.h = withDurableExecution(async (e, ctx) => ctx.step(async () => 1));\n',
    });
    const esm = { format: "module", source: "export const twice = (n) => n * 2;\n" };
    expect(await hooks.load(pathToFileURL(path.join(dir, "plain/util.mjs")).href, {}, async () => esm)).toBe(esm);
    // CommonJS is transformed in the thread that runs it, as require() loads it (the processes above).
    const commonjs = { format: "commonjs", source: null };
    expect(await hooks.load(pathToFileURL(path.join(dir, "plain/handler.cjs")).href, {}, async () => commonjs)).toBe(commonjs);
    // Dependencies are never touched.
    const dependency = { format: "module", source: 'import { withDurableExecution } from "replayable";\nexport const h = withDurableExecution(async (e, ctx) => ctx.step(async () => 1));\n' };
    expect(await hooks.load(pathToFileURL(path.join(dir, "node_modules/some-dependency/index.mjs")).href, {}, async () => dependency)).toBe(dependency);
  });
});
