/**
 * The tsc host: real `tspc` builds through ts-patch (TypeScript 6.0 + ts-patch 4, and
 * TypeScript 5.9 + ts-patch 3.3) of every golden input with the plugin, against plain `tsc`
 * builds of the golden outputs. The emitted JavaScript must be identical, its source map must
 * point every token at its place in the input, and the transformer's diagnostics must come out
 * through addDiagnostic.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { decode } from "@jridgewell/sourcemap-codec";
import { beforeAll, describe, expect, it } from "vitest";
import typescript from "typescript";
import { planForText } from "../../transformer/index.js";
import { goldenCases, renderDiagnostics, runCase } from "./golden.js";
import { createProject, TS_5_9, TS_6, writeFiles, type Toolchain } from "./package-fixture.js";

const cases = goldenCases();

const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "ESNext",
  moduleResolution: "Bundler",
  verbatimModuleSyntax: true,
  noEmitOnError: false,
  noCheck: true,
  skipLibCheck: true,
  types: [],
  lib: ["ES2022", "DOM"],
  sourceMap: true,
  rootDir: ".",
};

interface Build {
  readonly dir: string;
  readonly stdout: string;
  readonly status: number | null;
}

function tsconfig(outDir: string, include: string, plugins?: object[]): string {
  return JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, outDir, ...(plugins ? { plugins } : {}) }, include: [include] }, null, 2);
}

async function buildBoth(toolchain: Toolchain): Promise<{ plugin: Build; plain: Build }> {
  const dir = await createProject(`tsc-${toolchain.typescript}`, toolchain);
  const files: Record<string, string> = {};
  for (const testCase of cases) {
    files[`input/${testCase.name}/input.ts`] = testCase.input;
    files[`expected/${testCase.name}/input.ts`] = testCase.output;
  }
  // One plugin entry per options set, each limited to its cases by an `include` pattern.
  const optionSets = new Map<string, string[]>();
  for (const testCase of cases) {
    const key = JSON.stringify(testCase.options);
    optionSets.set(key, [...(optionSets.get(key) ?? []), testCase.name]);
  }
  writeFiles(dir, files);
  const plugins = [...optionSets].map(([options, names]) => ({
    transform: "replayable/transformer",
    ...(JSON.parse(options) as object),
    include: `/input/(?:${names.join("|")})/input\\.ts$`,
  }));
  fs.writeFileSync(path.join(dir, "tsconfig.plugin.json"), tsconfig("out-plugin", "input/*/*.ts", plugins));
  const runs = [run(dir, [path.join(dir, "node_modules/ts-patch/bin/tspc.js"), "-p", "tsconfig.plugin.json"])];
  fs.writeFileSync(path.join(dir, "tsconfig.plain.json"), tsconfig("out-plain", "expected/*/*.ts"));
  const [plain, ...plugin] = await Promise.all([run(dir, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.plain.json"]), ...runs]);
  return {
    plugin: { dir, stdout: plugin.map((result) => result.output).join(""), status: plugin.find((result) => result.status !== 0)?.status ?? 0 },
    plain: { dir, stdout: plain!.output, status: plain!.status },
  };
}

/** Offsets of the identifier tokens in text[start, end), comments and strings skipped. */
function identifierOffsets(text: string, start: number, end: number): number[] {
  const scanner = typescript.createScanner(typescript.ScriptTarget.Latest, true, typescript.LanguageVariant.Standard, text, undefined, start, end - start);
  const offsets: number[] = [];
  for (let token = scanner.scan(); token !== typescript.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === typescript.SyntaxKind.Identifier) offsets.push(scanner.getTokenStart());
  }
  return offsets;
}

/**
 * Whether a source-map segment for the generated token `token` points at that token in the
 * original text. tsc itself maps punctuation to the whitespace before it, and a closing
 * parenthesis to the trailing comma it dropped.
 */
function sameToken(token: string, original: string): boolean {
  if (/^\w/.test(token)) return original.startsWith(token);
  const next = original.trimStart()[0];
  return next === token || (token === ")" && next === ",");
}

/** Runs node with arguments; resolves with stdout+stderr and the exit status. */
function run(cwd: string, args: string[]): Promise<{ output: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ output, status }));
  });
}

describe.each([
  ["TypeScript 6.0 + ts-patch 4", TS_6, "6.0"],
  ["TypeScript 5.9 + ts-patch 3.3", TS_5_9, "5.9"],
])("tspc host: %s", (_label, toolchain, version) => {
  let builds: { plugin: Build; plain: Build };
  beforeAll(async () => {
    builds = await buildBoth(toolchain);
    return () => fs.rmSync(builds.plugin.dir, { recursive: true, force: true });
  }, 120_000);

  it(`runs the real tsc ${version}`, () => {
    const versionLine = spawnSync(process.execPath, [path.join(builds.plugin.dir, "node_modules/typescript/bin/tsc"), "-v"], { encoding: "utf8" }).stdout;
    expect(versionLine).toContain(`Version ${version}`);
  });

  it.each(cases.map((testCase) => testCase.name))("%s: emits what tsc emits for output.ts", (name) => {
    const read = (folder: string) => fs.readFileSync(path.join(builds.plugin.dir, folder, name, "input.js"), "utf8");
    const withPlugin = read("out-plugin/input");
    const expected = read("out-plain/expected");
    expect(withPlugin.replace(/input\.js\.map/g, "")).toBe(expected.replace(/input\.js\.map/g, ""));
  });

  it("reports the transformer's diagnostics through addDiagnostic", () => {
    for (const testCase of cases) {
      const result = runCase(testCase);
      for (const diagnostic of result.diagnostics) {
        expect(builds.plugin.stdout, renderDiagnostics(result)).toContain(diagnostic.message);
      }
    }
    expect(builds.plugin.stdout).toMatch(/input\/io-env-timers-reported\/input\.ts\(5,26\): error TS91001: fetch\(\) at input\.ts:5 does I\/O outside a step/);
  });

  it.each(cases.filter((testCase) => testCase.output !== testCase.input).map((testCase) => testCase.name))(
    "%s: every source-map segment points at the same token in the input, or at an edge of the expression a replacement replaced; a step body's words keep theirs",
    (name) => {
      const testCase = cases.find((candidate) => candidate.name === name)!;
      const out = path.join(builds.plugin.dir, "out-plugin/input", name);
      const map = JSON.parse(fs.readFileSync(path.join(out, "input.js.map"), "utf8")) as { sources: string[]; mappings: string };
      expect(map.sources).toEqual([`../../../input/${name}/input.ts`]);
      const generatedLines = fs.readFileSync(path.join(out, "input.js"), "utf8").split("\n");
      const originalLines = testCase.input.split("\n");
      const lineStarts = originalLines.reduce<number[]>((starts, line, index) => [...starts, index === 0 ? 0 : starts[index - 1]! + originalLines[index - 1]!.length + 1], []);
      // A replacement maps to the start of the expression it replaces; a step's body is that
      // expression itself, and the end of its mapping (the step's closing parenthesis) to its end.
      const rewrites = planForText(testCase.input, "input.ts", testCase.options).edits.filter((edit) => edit.kind === "rewrite");
      const replacedEdges = new Set(rewrites.flatMap((edit) => [edit.start, edit.end]));
      const mismatches: string[] = [];
      let segments = 0;
      const mapped = new Set<number>();
      decode(map.mappings).forEach((line, generatedLine) => {
        for (const [generatedColumn, , originalLine, originalColumn] of line) {
          if (originalLine === undefined || originalColumn === undefined) continue;
          segments++;
          mapped.add(lineStarts[originalLine]! + originalColumn);
          // The token at the segment: a word, or one character of punctuation.
          const word = /^(?:\w+|\S)/.exec(generatedLines[generatedLine]!.slice(generatedColumn))?.[0];
          const original = originalLines[originalLine]?.slice(originalColumn);
          if (original === undefined) mismatches.push(`${generatedLine + 1}:${generatedColumn} maps past the end of the input`);
          else if (word && !sameToken(word, original) && !replacedEdges.has(lineStarts[originalLine]! + originalColumn)) {
            mismatches.push(`${generatedLine + 1}:${generatedColumn} "${word}" maps to ${originalLine + 1}:${originalColumn} "${original.slice(0, 20)}"`);
          }
        }
      });
      expect(segments).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
      // A step's body is the replaced expression itself: each of its identifiers keeps a segment.
      const unmapped = rewrites
        .filter((edit) => edit.replacement.kind === "step" && edit.replacement.wrap !== "new Date")
        .flatMap((edit) => identifierOffsets(testCase.input, edit.start, edit.end))
        .filter((offset) => !mapped.has(offset))
        .map((offset) => `${JSON.stringify(/\w+/.exec(testCase.input.slice(offset))![0])} at offset ${offset}`);
      expect(unmapped).toEqual([]);
    },
  );
});

describe("tsc host on targets that lower syntax (ts.transpileModule, TypeScript 6.0)", () => {
  // Optional chains are lowered below ES2020, async functions below ES2017: the plugin's output
  // must go through those transforms as tsc's own parse of output.ts does.
  it.each(["ES2019", "ES2015"] as const)("emits for %s what tsc emits for output.ts, for every golden case", async (target) => {
    const ts = (await import("typescript")).default;
    const plugin = (await import("../../transformer/index.js")).default;
    // verbatimModuleSyntax as in the builds above: import elision looks at the source before
    // any transformer, so an import a rewrite left unused stays in the plugin's output only.
    const compilerOptions = { target: ts.ScriptTarget[target], module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: false };
    for (const testCase of cases) {
      const withPlugin = ts.transpileModule(testCase.input, {
        fileName: "input.ts",
        compilerOptions,
        transformers: { before: [plugin(undefined, testCase.options, { ts, addDiagnostic: () => 0 })] },
      }).outputText;
      const expected = ts.transpileModule(testCase.output, { fileName: "input.ts", compilerOptions }).outputText;
      expect(withPlugin, testCase.name).toBe(expected);
    }
  });
});

describe("tsc host with CommonJS output", () => {
  it("references the added namespace import through its CommonJS binding", async () => {
    const ts = (await import("typescript")).default;
    const plugin = (await import("../../transformer/index.js")).default;
    const testCase = cases.find((candidate) => candidate.name === "random-seeded-aws")!;
    const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, noLib: true, noResolve: true, types: [] };
    const host = ts.createCompilerHost(options);
    const sourceFile = ts.createSourceFile("/virtual/input.ts", testCase.input, ts.ScriptTarget.ES2022, true);
    host.getSourceFile = (file) => (file === "/virtual/input.ts" ? sourceFile : undefined);
    let javascript = "";
    host.writeFile = (_file, text) => void (javascript = text);
    const program = ts.createProgram(["/virtual/input.ts"], options, host);
    program.emit(undefined, undefined, undefined, false, { before: [plugin(program, {}, { ts, addDiagnostic: () => 0 })] });
    const modules: Record<string, unknown> = {
      "@aws/durable-execution-sdk-js": { withDurableExecution: (fn: unknown) => fn },
      uuid: { v4: () => "not used" },
      replayable: { deterministic: () => ({ random: () => 0.75, uuid: () => "seeded-uuid" }) },
    };
    const exports: Record<string, (event: unknown, context: unknown) => Promise<unknown>> = {};
    new Function("exports", "require", javascript)(exports, (name: string) => modules[name]);
    await expect(exports["lottery"]!({ players: ["ada", "grace"] }, {})).resolves.toEqual({ winner: "grace", ticket: "seeded-uuid", receipt: "seeded-uuid" });
  });
});

describe("tsc host when a plan does not fit the compiler's tree", () => {
  it("throws, naming every edit it found no node for, instead of emitting a half-transformed file", async () => {
    const ts = (await import("typescript")).default;
    const { applyPlanToAst } = await import("../../transformer/index.js");
    const testCase = cases.find((candidate) => candidate.name === "random-seeded-aws")!;
    const plan = planForText(testCase.input, "input.ts");
    const edits = plan.edits.filter((edit) => edit.kind !== "import");
    expect(edits.length).toBeGreaterThan(1);
    // The same code one character later: every offset of the plan is off by one.
    const shifted = ts.createSourceFile("input.ts", ` ${testCase.input}`, ts.ScriptTarget.ES2022, true);
    const apply = () => ts.transform(shifted, [(context) => (sourceFile) => applyPlanToAst(ts, sourceFile, plan, context)]);
    const ranges = edits.map((edit) => (edit.kind === "rewrite" ? edit : edit.callRange)).map((range) => `${range.start}:${range.end}`);
    expect(apply).toThrow(`${edits.length} planned edit(s) in input.ts found no node in the compiler's AST`);
    for (const range of ranges) expect(apply).toThrow(range);
  });
});
