import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type ts from "typescript";
import type { SourceMapV3 } from "./apply-text.js";
import type { TransformOptions } from "./options.js";

/**
 * Compiling one file of the program for Node: the same `transform` as every other host, then,
 * for TypeScript and JSX, TypeScript's transpilation. The source maps of each stage are composed
 * (with a map the file already references, e.g. one from a tsc build) and inlined, so stack
 * traces point at the original lines. Used by the module hooks (node-hooks.ts) and the
 * require() hook (commonjs-hook.ts).
 */


/**
 * replayable's compiled modules (dist/, usually inside node_modules, but not in a checkout): never
 * transformed. The compiler's own modules name withDurableExecution, and these hooks serve the
 * imports that load them, so transforming them would wait on itself.
 */
const REPLAYABLE_FILES = new URL("../", import.meta.url).href;

export interface Compiler {
  readonly typescript: typeof ts;
  readonly transform: typeof import("./transform.js").transform;
  readonly formatDiagnostic: typeof import("./plan.js").formatDiagnostic;
  readonly remapping: typeof import("@jridgewell/remapping").default;
}

/** Loaded on the first file that needs it: importing typescript takes a quarter of a second, which a program without durable handlers should not pay. */
let compiler: Promise<Compiler> | undefined;
export function loadCompiler(): Promise<Compiler> {
  return (compiler ??= Promise.all([import("../analysis/typescript.js"), import("./transform.js"), import("./plan.js"), import("@jridgewell/remapping")]).then(
    ([typescript, transform, plan, remapping]) => ({ typescript: typescript.default, transform: transform.transform, formatDiagnostic: plan.formatDiagnostic, remapping: remapping.default }),
  ));
}

/**
 * The compiler for require(), which is synchronous: the package's transformer entry (./index.js,
 * beside this file in dist/ and in a bundle alike), loaded with require(esm), which Node 20.19
 * (the engines minimum) has.
 */
let compilerSync: Compiler | undefined;
export function loadCompilerSync(): Compiler {
  if (compilerSync) return compilerSync;
  const require = createRequire(import.meta.url);
  const transformer = require("./index.js") as typeof import("./index.js");
  compilerSync = {
    typescript: require("typescript") as typeof ts,
    transform: transformer.transform,
    formatDiagnostic: transformer.formatDiagnostic,
    remapping: require("@jridgewell/remapping") as Compiler["remapping"],
  };
  return compilerSync;
}

export type ModuleFormat = "module" | "commonjs";

/** What an extension written for NodeNext in a TypeScript file may stand for. */
const TYPESCRIPT_TWINS: Readonly<Record<string, readonly string[]>> = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"], ".jsx": [".tsx"] };

/**
 * The TypeScript files a relative `./x.js` written for NodeNext in a TypeScript file may stand
 * for, in the order to try them (./x.ts, ./x.tsx; .mjs for .mts, .cjs for .cts); none for other
 * specifiers. Both the module hooks and the require() hook resolve with it.
 */
export function typescriptTwins(specifier: string): string[] {
  const extension = /^\.{1,2}\/.*?(\.[mc]?jsx?)$/.exec(specifier)?.[1];
  if (!extension) return [];
  return (TYPESCRIPT_TWINS[extension] ?? []).map((twin) => specifier.slice(0, -extension.length) + twin);
}

/**
 * The module format of a file, as Node decides it: .mts/.mjs are ES modules, .cts/.cjs CommonJS,
 * and any other file what the nearest package.json's "type" says. Where no "type" is given
 * (no package.json, or one without the field), Node looks at the syntax (detect-module): ES
 * module syntax (import, export, import.meta) makes an ES module, unless the file also uses
 * TypeScript's CommonJS forms (`import x = require()`, `export =`), as tsc reads them.
 */
export function moduleFormatOf(fileName: string): ModuleFormat {
  if (/\.m[jt]s$/.test(fileName)) return "module";
  if (/\.c[jt]s$/.test(fileName)) return "commonjs";
  return packageTypeOf(path.dirname(path.resolve(fileName))) ?? formatBySyntax(path.resolve(fileName));
}

/** The "type" of the nearest package.json ("module" or "commonjs"), undefined without one; per folder, as every file of a folder asks the same. */
const packageTypes = new Map<string, ModuleFormat | undefined>();
function packageTypeOf(folder: string): ModuleFormat | undefined {
  if (packageTypes.has(folder)) return packageTypes.get(folder);
  const manifest = path.join(folder, "package.json");
  let text: string | undefined;
  try {
    text = readFileSync(manifest, "utf8");
  } catch {
    // No package.json here: the folder above decides.
  }
  let type: ModuleFormat | undefined;
  if (text === undefined) {
    const parent = path.dirname(folder);
    type = parent === folder ? undefined : packageTypeOf(parent);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`replayable: ${manifest} is not valid JSON (${(error as Error).message}); fix it: its "type" decides whether the TypeScript files below it run as ES modules or CommonJS.`);
    }
    const declared = (parsed as { type?: unknown } | null)?.type;
    type = declared === "module" || declared === "commonjs" ? declared : undefined;
  }
  packageTypes.set(folder, type);
  return type;
}

/** The format of a file in a package without "type", by its syntax (see moduleFormatOf); per file. */
const syntaxFormats = new Map<string, ModuleFormat>();
function formatBySyntax(fileName: string): ModuleFormat {
  const cached = syntaxFormats.get(fileName);
  if (cached) return cached;
  let code: string;
  try {
    code = readFileSync(fileName, "utf8");
  } catch {
    return "commonjs";
  }
  // Only the parser is needed, from TypeScript's CommonJS module (loadCompiler's ES modules may be loading meanwhile).
  const typescript = createRequire(import.meta.url)("typescript") as typeof ts;
  const kind = /\.tsx$/.test(fileName) ? typescript.ScriptKind.TSX : /\.jsx$/.test(fileName) ? typescript.ScriptKind.JSX : typescript.ScriptKind.TS;
  const sourceFile = typescript.createSourceFile(fileName, code, typescript.ScriptTarget.Latest, false, kind);
  const commonJsForms = sourceFile.statements.some(
    (statement) =>
      (typescript.isImportEqualsDeclaration(statement) && typescript.isExternalModuleReference(statement.moduleReference)) ||
      (typescript.isExportAssignment(statement) && statement.isExportEquals === true),
  );
  const format: ModuleFormat = !commonJsForms && typescript.isExternalModule(sourceFile) ? "module" : "commonjs";
  syntaxFormats.set(fileName, format);
  return format;
}

/**
 * The compiler options of the hook's transpilation of a file: the module format moduleFormatOf
 * gives (require() asks for CommonJS whatever the file's package says); JSX for .tsx and .jsx.
 */
export function compilerOptionsFor(fileName: string, typescript: typeof ts, format: ModuleFormat = moduleFormatOf(fileName)): ts.CompilerOptions {
  const { JsxEmit, ModuleKind, ScriptTarget } = typescript;
  const commonjs = format === "commonjs";
  return {
    target: ScriptTarget.ES2022,
    module: commonjs ? ModuleKind.CommonJS : ModuleKind.ESNext,
    // What module "nodenext" implies: `import x from "./file.cjs"` gets module.exports.
    ...(commonjs ? { esModuleInterop: true } : {}),
    ...(/\.[jt]sx$/.test(fileName) ? { jsx: JsxEmit.ReactJSX } : {}),
    sourceMap: true,
    inlineSources: true,
  };
}

/** Transformer options for the hook, as JSON in REPLAYABLE_TRANSFORM, e.g. {"clock":"report"}. */
export function optionsFromEnvironment(): TransformOptions {
  const raw = process.env["REPLAYABLE_TRANSFORM"];
  if (!raw) return {};
  try {
    return JSON.parse(raw) as TransformOptions;
  } catch (error) {
    throw new Error(`replayable/register: REPLAYABLE_TRANSFORM must be JSON transformer options, e.g. {"clock":"report"}: ${(error as Error).message}`);
  }
}

interface Served {
  readonly code: string;
  readonly diagnostics: string[];
}

/** What the hook serves for a TypeScript or JSX file: transformed, transpiled JavaScript with an inline map to the original. */
export async function transpileForNode(code: string, fileName: string, options: TransformOptions = optionsFromEnvironment(), format?: ModuleFormat): Promise<Served> {
  return compileWith(await loadCompiler(), code, fileName, options, format);
}

/**
 * What the hook serves for a JavaScript file: the transformed code with an inline map to the
 * original (or, through the map the file references, to its own source); code is undefined when
 * the transform changes nothing.
 */
export async function transformJavaScriptForNode(code: string, fileName: string, options: TransformOptions = optionsFromEnvironment()): Promise<{ code: string | undefined; diagnostics: string[] }> {
  return transformJavaScriptWith(await loadCompiler(), code, fileName, options);
}

export function compileWith({ typescript, transform, formatDiagnostic, remapping }: Compiler, code: string, fileName: string, options: TransformOptions, format?: ModuleFormat): Served {
  const transformed = transform(code, fileName, options);
  const output = typescript.transpileModule(transformed.code, { fileName, compilerOptions: compilerOptionsFor(fileName, typescript, format) });
  const transpiledMap = JSON.parse(output.sourceMapText!) as { sources: string[]; sourcesContent?: (string | null)[] };
  const intermediate = `${fileName}?replayable-transformed`;
  transpiledMap.sources = [transformed.map ? intermediate : fileName];
  transpiledMap.sourcesContent = [transformed.code];
  // Compose: JavaScript -> transformed TypeScript (tsc) -> original TypeScript (magic-string).
  const map = transformed.map
    ? remapping(transpiledMap as never, (source) => (source === intermediate ? ({ ...transformed.map!, sources: [fileName], sourcesContent: [code] } as never) : null))
    : transpiledMap;
  const javascript = output.outputText.replace(/\/\/# sourceMappingURL=.*\s*$/, "");
  return { code: withInlineMap(javascript, map), diagnostics: transformed.diagnostics.map(formatDiagnostic) };
}

export function transformJavaScriptWith({ transform, formatDiagnostic, remapping }: Compiler, code: string, fileName: string, options: TransformOptions): { code: string | undefined; diagnostics: string[] } {
  const transformed = transform(code, fileName, options);
  const diagnostics = transformed.diagnostics.map(formatDiagnostic);
  if (transformed.code === code) return { code: undefined, diagnostics };
  if (!transformed.map) return { code: transformed.code, diagnostics };
  let output = transformed.code;
  let map: object = { ...transformed.map, sources: [fileName], sourcesContent: [code] };
  const reference = sourceMapReference(code);
  const input = reference && readReferencedMap(reference.url, fileName);
  if (reference && input) {
    // The file's own map (e.g. tsc's) continues the chain to its source; its comment goes, so Node reads ours.
    const at = output.lastIndexOf(reference.comment);
    output = output.slice(0, at) + output.slice(at + reference.comment.length);
    map = remapping(map as never, (source, context) => {
      if (source !== fileName) return null;
      context.source = input.location;
      return input.map as never;
    });
  }
  return { code: withInlineMap(output, map), diagnostics };
}

function withInlineMap(javascript: string, map: object): string {
  const separator = javascript.endsWith("\n") ? "" : "\n";
  return `${javascript}${separator}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`;
}

/** The last `//# sourceMappingURL=` comment of a file: the one Node and debuggers follow. */
function sourceMapReference(code: string): { comment: string; url: string } | undefined {
  let found: RegExpExecArray | undefined;
  for (const match of code.matchAll(/\/\/[#@] sourceMappingURL=(\S+)/g)) found = match;
  return found ? { comment: found[0], url: found[1]! } : undefined;
}

/** A map a JavaScript file references (inline, or a file beside it), with the location its sources are relative to; undefined when unreadable. */
function readReferencedMap(url: string, fileName: string): { map: SourceMapV3; location: string } | undefined {
  try {
    const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/.exec(url);
    if (inline) {
      const text = inline[1] ? Buffer.from(inline[2]!, "base64").toString("utf8") : decodeURIComponent(inline[2]!);
      return { map: JSON.parse(text) as SourceMapV3, location: fileName };
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith("file:")) return undefined;
    const location = url.startsWith("file:") ? fileURLToPath(url) : path.resolve(path.dirname(fileName), decodeURIComponent(url));
    return { map: JSON.parse(readFileSync(location, "utf8")) as SourceMapV3, location };
  } catch {
    // A missing or broken map costs only that last hop: stack traces then point into the JavaScript file.
    return undefined;
  }
}

/** The program's own file (not a dependency, not replayable) as a path, or undefined for anything else. */
export function ownFile(url: string | undefined): string | undefined {
  if (url === undefined || !url.startsWith("file:") || url.includes("/node_modules/") || url.startsWith(REPLAYABLE_FILES)) return undefined;
  return fileURLToPath(url);
}

export function warn(diagnostics: readonly string[]): void {
  for (const diagnostic of diagnostics) process.emitWarning(diagnostic, { code: "REPLAYABLE_TRANSFORM" });
}

