// Loads a conformance handler (written against "@aws/durable-execution-sdk-js") for one of the
// two runtimes, without touching module resolution for anything else: the file is transpiled
// with TypeScript's transpileModule, its import of the AWS SDK is pointed at the chosen runtime
// (the official package, or replayable's runtime/index), relative imports are made absolute,
// and the result is written to a fresh temporary .mjs file and imported. Each load is a fresh
// module instance, so module-level state in a handler never leaks from one run into the next.
//
// Works under vitest and under tsx (both load runtime/index.ts); plain Node needs
// `replayableEntry` pointing at built JavaScript.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type TypeScript from "typescript";

export const AWS_SDK = "@aws/durable-execution-sdk-js";
export type SdkFlavor = "aws" | "replayable";

export interface LoadHandlerOptions {
  /** Module replayable's runtime is imported from (absolute path or file URL); default runtime/index beside this file's folder. */
  replayableEntry?: string;
  /** Module the AWS SDK is imported from; default the installed package's ESM entry. */
  awsEntry?: string;
  /** Where the transpiled modules are written; default <os tmpdir>/replayable-conformance. */
  cacheDir?: string;
}

export interface LoadedHandler {
  /** The module's `handler` export. */
  handler: unknown;
  module: Record<string, unknown>;
  file: string;
  sdk: SdkFlavor;
}

let loads = 0;

export async function loadHandler(handlerPath: string, sdk: SdkFlavor, options: LoadHandlerOptions = {}): Promise<LoadedHandler> {
  const file = resolve(handlerPath);
  const out = writeHandlerModule(file, sdk, options);
  try {
    return { ...(await importHandlerModule(out, file)), file, sdk };
  } finally {
    rmSync(out, { force: true });
  }
}

/**
 * Writes the handler rewritten for the runtime to a fresh temporary .mjs file and returns its
 * path (the caller deletes it): another process can import it with importHandlerModule without
 * loading TypeScript.
 */
export function writeHandlerModule(handlerPath: string, sdk: SdkFlavor, options: LoadHandlerOptions = {}): string {
  const file = resolve(handlerPath);
  const source = readFileSync(file, "utf8");
  const target = sdk === "aws" ? (options.awsEntry ?? awsSdkEntry()) : (options.replayableEntry ?? replayableRuntimeEntry());
  const js = rewriteForRuntime(source, file, toImportPath(target));
  const dir = join(options.cacheDir ?? join(tmpdir(), "replayable-conformance"), sdk);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${safeName(file)}-${process.pid}-${++loads}.mjs`);
  writeFileSync(out, `${js}\n//# sourceURL=${pathToFileURL(file).href}\n`);
  return out;
}

/** Imports a module writeHandlerModule wrote; `source` names the handler file in errors. */
export async function importHandlerModule(modulePath: string, source = modulePath): Promise<{ handler: unknown; module: Record<string, unknown> }> {
  const module = (await import(/* @vite-ignore */ pathToFileURL(modulePath).href)) as Record<string, unknown>;
  if (!("handler" in module)) throw new Error(`${source} has no \`handler\` export (expected \`export const handler = withDurableExecution(...)\`)`);
  return { handler: module.handler, module };
}

/**
 * Transpiles a handler to an ES module whose imports of the AWS SDK point at `sdkModule`;
 * relative imports become absolute (the output lives elsewhere). Pure: exported for tests.
 */
export function rewriteForRuntime(source: string, fileName: string, sdkModule: string): string {
  const ts = typescript();
  const fromDir = dirname(fileName);
  const retarget = (specifier: string): string => {
    if (specifier === AWS_SDK) return sdkModule;
    if (specifier.startsWith("./") || specifier.startsWith("../")) return toImportPath(resolve(fromDir, specifier));
    return specifier;
  };
  const rewrite: TypeScript.TransformerFactory<TypeScript.SourceFile> = (context) => (sourceFile) => {
    const visit = (node: TypeScript.Node): TypeScript.Node => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const literal = context.factory.createStringLiteral(retarget(node.moduleSpecifier.text));
        return ts.isImportDeclaration(node)
          ? context.factory.updateImportDeclaration(node, node.modifiers, node.importClause, literal, node.attributes)
          : context.factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, literal, node.attributes);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        return context.factory.updateCallExpression(node, node.expression, node.typeArguments, [
          context.factory.createStringLiteral(retarget(node.arguments[0].text)),
          ...node.arguments.slice(1),
        ]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit) as TypeScript.SourceFile;
  };
  const output = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true, inlineSources: true },
    transformers: { after: [rewrite] },
    reportDiagnostics: true,
  });
  const syntaxError = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxError) throw new Error(`${fileName}: ${ts.flattenDiagnosticMessageText(syntaxError.messageText, "\n")}`);
  return output.outputText;
}

let loadedTypeScript: typeof TypeScript | undefined;

/** TypeScript, loaded on first use: it takes seconds to load, and a process that only imports written modules never needs it. */
function typescript(): typeof TypeScript {
  return (loadedTypeScript ??= createRequire(import.meta.url)("typescript") as typeof TypeScript);
}

/** replayable's runtime entry beside this module: runtime/index.ts from source, runtime/index.js when built. */
export function replayableRuntimeEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here) === ".ts" ? ".ts" : ".js";
  return resolve(dirname(here), "..", "runtime", `index${ext}`);
}

/** The installed AWS SDK's ES module entry (its package.json "exports"."."."import"). */
export function awsSdkEntry(): string {
  const require = createRequire(import.meta.url);
  // The package does not export ./package.json: find it above the CommonJS entry.
  let dir = dirname(require.resolve(AWS_SDK));
  while (!existsSync(join(dir, "package.json")) || JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name !== AWS_SDK) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package.json of ${AWS_SDK}`);
    dir = parent;
  }
  const manifestPath = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: Record<string, unknown>; module?: string; main?: string };
  const root = manifest.exports?.["."];
  const entry = (typeof root === "object" && root !== null ? (root as Record<string, unknown>).import : undefined) ?? manifest.module ?? manifest.main;
  if (typeof entry !== "string") throw new Error(`Cannot find the ES module entry of ${AWS_SDK} in ${manifestPath}`);
  return resolve(dirname(manifestPath), entry);
}

function toImportPath(target: string): string {
  if (target.startsWith("file:")) return target;
  return isAbsolute(target) ? pathToFileURL(target).href : target;
}

function safeName(file: string): string {
  return file.replace(/^.*?conformance[\\/]handlers[\\/]/, "").replace(/[^A-Za-z0-9.-]+/g, "_");
}
