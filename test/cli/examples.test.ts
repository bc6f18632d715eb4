/**
 * The runnable handlers in examples/run/ are what a newcomer copies: they must type-check
 * (strict, as in this repository) against replayable's runtime, imported as `replayable`.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { REPO } from "./cli-build.js";

it("examples/run/*.ts type-check against the runtime, strict", () => {
  const dir = path.join(REPO, "examples/run");
  const files = fs.readdirSync(dir).filter((name) => name.endsWith(".ts")).map((name) => path.join(dir, name));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    paths: { replayable: [path.join(REPO, "runtime/index.ts")] },
  };
  const program = ts.createProgram(files, options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" }));
  expect(diagnostics).toEqual([]);
}, 60_000);
