/**
 * The bundler host: real esbuild and vite builds with `replayable/unplugin` (built into a
 * temporary project as a user installs it) of every golden input, against builds of the
 * golden outputs without the plugin. The bundled code must be identical; diagnostics come
 * out as build warnings (failOnError: false) or fail the build (the default), each at its
 * file, line and column.
 */
import fs from "node:fs";
import path from "node:path";
import { build as esbuild, type BuildFailure, type Message, type Plugin as EsbuildPlugin } from "esbuild";
import { build as viteBuild, type Plugin as VitePlugin, type Rollup } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UnpluginOptions } from "../../transformer/unplugin.js";
import type { TransformDiagnostic } from "../../transformer/plan.js";
import { goldenCases, runCase } from "./golden.js";
import { createProject, writeFiles } from "./package-fixture.js";

const cases = goldenCases();

/** Two files of the same name in two folders, each with a Math.random() reported at a different line. */
const SAME_NAME = {
  "two/a/order.ts": `import { withDurableExecution } from "replayable";

export const a = withDurableExecution(async (event: unknown, ctx) => {
  const roll = Math.random();
  return roll;
});
`,
  "two/b/order.ts": `import { withDurableExecution } from "replayable";

export const b = withDurableExecution(async (event: unknown, ctx) => {
  await ctx.wait({ seconds: 1 });
  return Math.random();
});
`,
};

/** The diagnostics the transformer reports for a file of the temporary project (never none, or a test would prove nothing). */
function diagnosticsOf(file: string, source: string, options: UnpluginOptions): readonly TransformDiagnostic[] {
  const diagnostics = runCase({ input: source, options }, path.join(dir, file)).diagnostics;
  expect(diagnostics.length).toBeGreaterThan(0);
  return diagnostics;
}

/** How the bundler hosts name a file: from the working directory, so two order.ts are told apart. */
function shown(file: string): string {
  return path.relative(process.cwd(), path.join(dir, file));
}

interface Unplugin {
  readonly esbuildPlugin: (options?: UnpluginOptions) => EsbuildPlugin;
  readonly vitePlugin: (options?: UnpluginOptions) => VitePlugin;
}

let dir: string;
let unplugin: Unplugin;

beforeAll(async () => {
  dir = await createProject("unplugin");
  const files: Record<string, string> = {};
  for (const testCase of cases) {
    files[`input/${testCase.name}/input.ts`] = testCase.input;
    files[`expected/${testCase.name}/input.ts`] = testCase.output;
  }
  writeFiles(dir, { ...files, ...SAME_NAME });
  unplugin = (await import(path.join(dir, "node_modules/replayable/dist/transformer/unplugin.js"))) as Unplugin;
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("esbuild with replayable/unplugin", () => {
  async function bundle(file: string, plugins: EsbuildPlugin[]) {
    const result = await esbuild({
      entryPoints: [path.join(dir, file)],
      bundle: true,
      packages: "external",
      external: ["./*"],
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
      plugins,
    });
    return { code: result.outputFiles[0]!.text, warnings: result.warnings.map((warning) => warning.text) };
  }

  it.each(cases)("$name: same bundle as output.ts", async (testCase) => {
    const transformed = await bundle(`input/${testCase.name}/input.ts`, [unplugin.esbuildPlugin({ ...testCase.options, failOnError: false })]);
    const expected = await bundle(`expected/${testCase.name}/input.ts`, []);
    expect(transformed.code.replaceAll("/input/", "/expected/")).toBe(expected.code);
    const diagnostics = runCase(testCase).diagnostics;
    expect(transformed.warnings.length).toBe(diagnostics.length);
    for (const diagnostic of diagnostics) expect(transformed.warnings.join("\n")).toContain(diagnostic.message);
  });

  it("fails the build on an error diagnostic by default", async () => {
    await expect(bundle("input/io-env-timers-reported/input.ts", [unplugin.esbuildPlugin()])).rejects.toThrow(/fetch\(\) at input\.ts:5 does I\/O outside a step/);
  });

  /** esbuild's messages of a build of `files`: its warnings, or its errors when it fails. */
  async function messages(files: string[], plugin: EsbuildPlugin): Promise<{ warnings: Message[]; errors: Message[] }> {
    try {
      const result = await esbuild({ entryPoints: files.map((file) => path.join(dir, file)), outdir: path.join(dir, "out"), bundle: true, packages: "external", format: "esm", write: false, logLevel: "silent", plugins: [plugin] });
      return { warnings: result.warnings, errors: result.errors };
    } catch (error) {
      return { warnings: (error as BuildFailure).warnings, errors: (error as BuildFailure).errors };
    }
  }

  /** The message esbuild should show for a diagnostic: its text, and a location from which esbuild prints a code frame. */
  function expectedMessage(file: string, source: string, diagnostic: TransformDiagnostic) {
    return {
      text: `${diagnostic.category}: ${diagnostic.message}`,
      // esbuild's columns count from 0.
      location: { file: shown(file), line: diagnostic.line, column: diagnostic.column - 1, lineText: source.split("\n")[diagnostic.line - 1] },
    };
  }

  it("reports one warning per diagnostic with failOnError: false, at its file from the working directory, not as an error", async () => {
    const options: UnpluginOptions = { random: "report", failOnError: false };
    const { warnings, errors } = await messages(Object.keys(SAME_NAME), unplugin.esbuildPlugin(options));
    expect(errors).toEqual([]);
    const expected = Object.entries(SAME_NAME).flatMap(([file, source]) => diagnosticsOf(file, source, options).map((diagnostic) => expectedMessage(file, source, diagnostic)));
    expect(warnings.map(({ text, location }) => ({ text, location: location && { file: location.file, line: location.line, column: location.column, lineText: location.lineText } }))).toEqual(expected);
    expect(warnings.map((warning) => warning.text).join("\n")).not.toMatch(/\berror\b/);
  });

  it("fails with one error per diagnostic, each at its location with the line of source for the code frame", async () => {
    const file = "input/io-env-timers-reported/input.ts";
    const source = cases.find((testCase) => testCase.name === "io-env-timers-reported")!.input;
    const { errors } = await messages([file], unplugin.esbuildPlugin());
    const expected = diagnosticsOf(file, source, {}).map((diagnostic) => expectedMessage(file, source, diagnostic));
    expect(expected.length).toBe(4);
    expect(errors.map(({ text, location }) => ({ text, location: location && { file: location.file, line: location.line, column: location.column, lineText: location.lineText } }))).toEqual(expected);
  });
});

describe("vite with replayable/unplugin", () => {
  /** One vite build of many entries; returns each entry's chunk and the warnings. */
  async function viteBundle(entries: Record<string, string>, plugins: VitePlugin[]) {
    const warnings: Rollup.RollupLog[] = [];
    const output = (await viteBuild({
      root: dir,
      configFile: false,
      logLevel: "silent",
      plugins,
      build: {
        write: false,
        minify: false,
        target: "es2022",
        lib: { entry: entries, formats: ["es"] },
        rollupOptions: {
          external: (id) => !path.isAbsolute(id),
          onwarn: (warning) => void warnings.push(warning),
        },
      },
    })) as Rollup.RollupOutput[] | Rollup.RollupOutput;
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output).filter((chunk): chunk is Rollup.OutputChunk => chunk.type === "chunk");
    return { chunks: new Map(chunks.map((chunk) => [chunk.name, chunk.code])), warnings };
  }

  let transformed: Map<string, string>;
  let expected: Map<string, string>;
  let warnings: string[];

  beforeAll(async () => {
    const optionSets = new Map<string, string[]>();
    for (const testCase of cases) optionSets.set(JSON.stringify(testCase.options), [...(optionSets.get(JSON.stringify(testCase.options)) ?? []), testCase.name]);
    transformed = new Map();
    warnings = [];
    for (const [options, names] of optionSets) {
      const entries = Object.fromEntries(names.map((name) => [name, path.join(dir, `input/${name}/input.ts`)]));
      const result = await viteBundle(entries, [unplugin.vitePlugin({ ...(JSON.parse(options) as UnpluginOptions), failOnError: false })]);
      for (const [name, code] of result.chunks) transformed.set(name, code);
      warnings.push(...result.warnings.map((warning) => warning.message));
    }
    expected = (await viteBundle(Object.fromEntries(cases.map((testCase) => [testCase.name, path.join(dir, `expected/${testCase.name}/input.ts`)])), [])).chunks;
  }, 120_000);

  it.each(cases)("$name: same chunk as output.ts", (testCase) => {
    expect(transformed.get(testCase.name)).toBeDefined();
    // Only the region comment naming the source folder may differ.
    expect(transformed.get(testCase.name)!.replace("/input/", "/expected/")).toBe(expected.get(testCase.name));
    for (const diagnostic of runCase(testCase).diagnostics) expect(warnings.join("\n")).toContain(diagnostic.message);
  });

  it("reports one warning per diagnostic with failOnError: false, naming its file from the working directory, line and column, as a warning", async () => {
    const options: UnpluginOptions = { random: "report", failOnError: false };
    const entries = Object.fromEntries(Object.keys(SAME_NAME).map((file) => [file.replace("/order.ts", "").replace("/", "-"), path.join(dir, file)]));
    const { warnings } = await viteBundle(entries, [unplugin.vitePlugin(options)]);
    const expected = Object.entries(SAME_NAME).flatMap(([file, source]) =>
      diagnosticsOf(file, source, options).map((diagnostic) => ({
        message: `${shown(file)}:${diagnostic.line}:${diagnostic.column} warning ${diagnostic.category}: ${diagnostic.message}`,
        id: path.join(dir, file),
        // Rollup's columns count from 0.
        loc: { file: path.join(dir, file), line: diagnostic.line, column: diagnostic.column - 1 },
      })),
    );
    const ours = warnings.filter((warning) => warning.plugin === "replayable").map(({ message, id, loc }) => ({ message, id, loc }));
    expect(ours.sort((x, y) => x.message.localeCompare(y.message))).toEqual(expected.sort((x, y) => x.message.localeCompare(y.message)));
  });

  it("fails on the error diagnostics of a file with every one named at its file, line and column, and located at the first", async () => {
    const file = "input/io-env-timers-reported/input.ts";
    const source = cases.find((testCase) => testCase.name === "io-env-timers-reported")!.input;
    const diagnostics = diagnosticsOf(file, source, {});
    const failure = await viteBundle({ io: path.join(dir, file) }, [unplugin.vitePlugin()]).then(
      () => expect.unreachable("the build should fail"),
      (error: unknown) => error as Error & { errors?: Rollup.RollupError[] },
    );
    for (const diagnostic of diagnostics) expect(failure.message).toContain(`${shown(file)}:${diagnostic.line}:${diagnostic.column} error ${diagnostic.category}: ${diagnostic.message}`);
    expect(failure.errors?.map(({ id, loc }) => ({ id, loc }))).toEqual([{ id: path.join(dir, file), loc: { file: path.join(dir, file), line: diagnostics[0]!.line, column: diagnostics[0]!.column - 1 } }]);
  });
});
