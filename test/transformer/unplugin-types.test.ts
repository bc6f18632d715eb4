/**
 * The published declarations of `replayable/unplugin`: built from the project's
 * tsconfig.build.json as `npm run build` builds them, installed into a temporary project and
 * type-checked from a consumer with `skipLibCheck: false`, as a user with a strict setup
 * compiles them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "./package-fixture.js";

let dir: string;
let declaration: ts.SourceFile;
let diagnostics: readonly ts.Diagnostic[];

/**
 * The modules of unplugin's optional peer dependencies, which its own declarations import
 * (`bun` is declared by its peer bun-types-no-globals).
 */
const unpluginOptionalPeers = [
  ...Object.keys((JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/unplugin/package.json"), "utf8")) as { peerDependenciesMeta: Record<string, unknown> }).peerDependenciesMeta),
  "bun",
];

const CONSUMER = `import { esbuildPlugin, rollupPlugin, vitePlugin, webpackPlugin, type UnpluginOptions } from "replayable/unplugin";
import type { Plugin as EsbuildPlugin } from "esbuild";
import type { Plugin as VitePlugin } from "vite";

type IsAny<T> = 0 extends 1 & T ? true : false;
const options: UnpluginOptions = { random: "report", failOnError: false, include: /\\.ts$/ };
export const vite: VitePlugin = vitePlugin(options);
export const esbuild: EsbuildPlugin = esbuildPlugin();
export const rollup = rollupPlugin({ clock: "step" });
export const webpack = webpackPlugin(options);
export const viteIsTyped: IsAny<ReturnType<typeof vitePlugin>> = false;
export const esbuildIsTyped: IsAny<ReturnType<typeof esbuildPlugin>> = false;
// @ts-expect-error: options are checked
esbuildPlugin({ failOnError: "no" });
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-unplugin-types-"));
  const pkg = path.join(dir, "node_modules/replayable");
  const config = ts.getParsedCommandLineOfConfigFile(path.join(REPO, "tsconfig.build.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!config) throw new Error("tsconfig.build.json could not be read");
  const build = ts.createProgram({
    rootNames: [path.join(REPO, "transformer/unplugin.ts")],
    options: { ...config.options, declaration: true, emitDeclarationOnly: true, sourceMap: false, declarationMap: false, outDir: path.join(pkg, "dist") },
  });
  const emitted = build.emit();
  expect(emitted.emitSkipped).toBe(false);
  expect(emitted.diagnostics.map(format)).toEqual([]);
  fs.writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({ name: "replayable", type: "module", exports: { "./unplugin": { types: "./dist/transformer/unplugin.d.ts" } } }),
  );
  fs.mkdirSync(path.join(dir, "node_modules/@types"));
  for (const name of ["unplugin", "vite", "esbuild", "typescript", "@types/node"]) {
    fs.symlinkSync(path.join(REPO, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  fs.writeFileSync(path.join(dir, "consumer.ts"), CONSUMER);
  const consumer = ts.createProgram({
    rootNames: [path.join(dir, "consumer.ts")],
    options: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ["node"],
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    },
  });
  diagnostics = ts.getPreEmitDiagnostics(consumer);
  const declarationFile = path.join(pkg, "dist/transformer/unplugin.d.ts");
  declaration = ts.createSourceFile(declarationFile, fs.readFileSync(declarationFile, "utf8"), ts.ScriptTarget.Latest, true);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function format(diagnostic: ts.Diagnostic): string {
  return ts.formatDiagnostic(diagnostic, { getCanonicalFileName: (file) => file, getCurrentDirectory: () => dir, getNewLine: () => "\n" });
}

/** unplugin's declarations and webpack-virtual-modules' (which unplugin's import). */
function isUnpluginDeclaration(diagnostic: ts.Diagnostic): boolean {
  const file = diagnostic.file ? fs.realpathSync(diagnostic.file.fileName) : "";
  return ["unplugin", "webpack-virtual-modules"].some((name) => file.startsWith(path.join(REPO, "node_modules", name) + path.sep));
}

describe("replayable/unplugin declarations with skipLibCheck: false", () => {
  it("compile for a consumer of vitePlugin, esbuildPlugin, rollupPlugin and webpackPlugin", () => {
    expect(diagnostics.filter((diagnostic) => !isUnpluginDeclaration(diagnostic)).map(format)).toEqual([]);
  });

  it("leave only unplugin's own imports of bundlers that are not installed here unresolved", () => {
    // unplugin's declarations import every bundler it supports; a project without webpack,
    // rollup, rspack, farm, bun, rsbuild or unloader gets TS2307 for those from unplugin
    // itself whatever replayable declares. Nothing else may be reported there.
    for (const diagnostic of diagnostics.filter(isUnpluginDeclaration)) {
      expect(diagnostic.code, format(diagnostic)).toBe(2307);
      const module = /Cannot find module '([^']+)'/.exec(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))?.[1];
      expect(unpluginOptionalPeers, format(diagnostic)).toContain(module);
      expect(["vite", "esbuild"]).not.toContain(module);
    }
  });

  it("type each bundler's plugin with unplugin's type for it, never any", () => {
    const fromUnplugin = new Set<string>();
    const returned = new Map<string, string>();
    for (const statement of declaration.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === "unplugin") {
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) fromUnplugin.add(element.name.text);
      }
      if (!ts.isVariableStatement(statement)) continue;
      for (const variable of statement.declarationList.declarations) {
        const type = variable.type;
        if (ts.isIdentifier(variable.name) && type && ts.isFunctionTypeNode(type) && ts.isTypeReferenceNode(type.type)) {
          returned.set(variable.name.text, type.type.typeName.getText(declaration));
        }
      }
    }
    const expected = { vitePlugin: "VitePlugin", rollupPlugin: "RollupPlugin", esbuildPlugin: "EsbuildPlugin", webpackPlugin: "WebpackPluginInstance", rspackPlugin: "RspackPluginInstance" };
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, returned.get(name)]))).toEqual(expected);
    for (const name of Object.values(expected)) expect(fromUnplugin).toContain(name);
    const anys: string[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) anys.push(node.parent.getText(declaration));
      ts.forEachChild(node, visit);
    };
    visit(declaration);
    expect(anys).toEqual([]);
  });
});
