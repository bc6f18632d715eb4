/**
 * AWS's example handlers (../shared/real-world/aws-examples, read in place, never copied) through
 * transform() and `replayable ids --json`: every file transforms, the output type-checks against
 * the installed SDK as well as the input does, and the two agree file by file on every operation.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { runIdsCommand, type IdsEntry } from "../../transformer/ids-command.js";
import { transform, type TransformResult } from "../../transformer/index.js";

const root = path.resolve(import.meta.dirname, "../../../shared/real-world/aws-examples");
const projectModules = path.resolve(import.meta.dirname, "../../node_modules");

function exampleFiles(): string[] {
  if (!fs.existsSync(root)) throw new Error(`${root} is missing: it holds AWS's examples this test reads (see ../shared/real-world/README.md)`);
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const at = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(at);
      else if (at.endsWith(".ts") && !at.endsWith(".test.ts")) files.push(at);
    }
  };
  walk(path.join(root, "src/examples"));
  return files.sort();
}

// The examples' own tsconfig extends the monorepo's, which is not here: the same options, with
// packages resolved from this project's node_modules (where the SDK is a dev dependency).
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  types: ["node"],
  typeRoots: [path.join(projectModules, "@types")],
  paths: { "*": [`${projectModules}/*`] },
};

/** Type errors of the examples, with `replaced` texts standing in for the files on disk. */
function typeErrors(files: readonly string[], replaced: ReadonlyMap<string, string>, oldProgram?: ts.Program): { program: ts.Program; errors: string[] } {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (file, language, ...rest) => {
    const text = replaced.get(file);
    return text === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram({ rootNames: files, options, host, ...(oldProgram ? { oldProgram } : {}) });
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const file = diagnostic.file ? path.relative(root, diagnostic.file.fileName) : "";
    return `${file}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
  return { program, errors: errors.sort() };
}

let files: string[];
const transformed = new Map<string, TransformResult>();

beforeAll(() => {
  files = exampleFiles();
  for (const file of files) transformed.set(file, transform(fs.readFileSync(file, "utf8"), file));
});

describe("AWS's examples through the transformer", () => {
  it("transform, every one of the 84 handler files", () => {
    expect(files).toHaveLength(84);
    expect(transformed.size).toBe(84);
    // At least one operation is named in most files: the transform did work, not just pass through.
    const renamed = files.filter((file) => transformed.get(file)!.code !== fs.readFileSync(file, "utf8"));
    expect(renamed.length).toBeGreaterThan(20);
  });

  it("type-check against the SDK as well as the sources do", () => {
    const before = typeErrors(files, new Map());
    // The sources' own errors, none the SDK's: two logger examples import the monorepo's SDK build
    // by relative path and a powertools subpath this project does not install, and steps-with-retry
    // imports @aws-sdk/client-dynamodb, which is not installed here.
    expect(new Set(before.errors.map((error) => error.slice(0, error.indexOf(":"))))).toEqual(
      new Set([
        "src/examples/logger-test/powertools-logger/powertools-logger.ts",
        "src/examples/logger-test/simple-powertools-logger/simple-powertools-logger.ts",
        "src/examples/step/steps-with-retry/steps-with-retry.ts",
      ]),
    );
    const after = typeErrors(files, new Map([...transformed].map(([file, result]) => [file, result.code])), before.program);
    expect(after.errors).toEqual(before.errors);
  }, 120_000);

  it("agree with `replayable ids --json`, file by file, on every operation's ID", () => {
    let stdout = "";
    let stderr = "";
    const code = runIdsCommand(["--json", "src/examples"], { cwd: root, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as IdsEntry[];
    for (const file of files) {
      const relative = path.relative(root, file);
      const fromIds = listed.filter((entry) => entry.file === relative).map(({ file: _file, ...entry }) => entry);
      const result = transformed.get(file)!;
      expect(fromIds, relative).toEqual(result.ids);
      const output = result.code;
      const unnamedWarnings = result.diagnostics.filter((diagnostic) => diagnostic.message.includes("no stable ID was given"));
      for (const entry of result.ids) {
        // Explicit and computed names are in the output; an operation without a stable ID has a warning at its line.
        if (entry.id === null) expect(unnamedWarnings.some((warning) => warning.line === entry.line), `${relative}:${entry.line}`).toBe(true);
        else expect(output, `${relative}:${entry.line} ${entry.id}`).toContain(JSON.stringify(entry.id).slice(1, -1));
      }
      expect(unnamedWarnings.length, relative).toBe(result.ids.filter((entry) => entry.id === null).length);
    }
    expect(stderr).toBe("");
  });

  it("leave invoke(event.functionName, event.payload) unnamed, with no ID, in both", () => {
    const file = path.join(root, "src/examples/invoke/simple/invoke-simple.ts");
    const [invoke] = transformed.get(file)!.ids.filter((entry) => entry.type === "invoke");
    // The second argument may be the function (a name first) or the input: the SDK decides at run time.
    expect(invoke).toMatchObject({ id: null, explicit: false, line: 21 });
    expect(transformed.get(file)!.code).toContain("context.invoke(event.functionName, event.payload)");
    let stdout = "";
    let stderr = "";
    runIdsCommand(["src/examples/invoke/simple"], { cwd: root, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    expect(stdout).toContain("invoke-simple.ts:21:26\thandler\tinvoke\t(no stable ID)\n");
    expect(stderr).toContain("invoke-simple.ts:21:");
    expect(stderr).toContain("no stable ID was given");
  });
});
