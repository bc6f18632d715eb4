/**
 * The bundler host: real esbuild and vite builds with `replayable/unplugin` (built into a
 * temporary project as a user installs it) of every golden input, against builds of the
 * golden outputs without the plugin. The bundled code must be identical; diagnostics come
 * out as build warnings (failOnError: false) or fail the build (the default).
 */
import fs from "node:fs";
import path from "node:path";
import { build as esbuild, type Plugin as EsbuildPlugin } from "esbuild";
import { build as viteBuild, type Plugin as VitePlugin, type Rollup } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UnpluginOptions } from "../../transformer/unplugin.js";
import { goldenCases, runCase } from "./golden.js";
import { createProject, writeFiles } from "./package-fixture.js";

const cases = goldenCases();

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
  writeFiles(dir, files);
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
});

describe("vite with replayable/unplugin", () => {
  /** One vite build of many entries; returns each entry's chunk and the warnings. */
  async function viteBundle(entries: Record<string, string>, plugins: VitePlugin[]) {
    const warnings: string[] = [];
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
          onwarn: (warning) => void warnings.push(warning.message),
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
      warnings.push(...result.warnings);
    }
    expected = (await viteBundle(Object.fromEntries(cases.map((testCase) => [testCase.name, path.join(dir, `expected/${testCase.name}/input.ts`)])), [])).chunks;
  }, 120_000);

  it.each(cases)("$name: same chunk as output.ts", (testCase) => {
    expect(transformed.get(testCase.name)).toBeDefined();
    // Only the region comment naming the source folder may differ.
    expect(transformed.get(testCase.name)!.replace("/input/", "/expected/")).toBe(expected.get(testCase.name));
    for (const diagnostic of runCase(testCase).diagnostics) expect(warnings.join("\n")).toContain(diagnostic.message);
  });
});
