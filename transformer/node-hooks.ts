import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import remapping from "@jridgewell/remapping";
import type ts from "typescript";
import typescript from "../analysis/typescript.js";
import type { TransformOptions } from "./options.js";
import { formatDiagnostic } from "./plan.js";
import { transform } from "./transform.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { ModuleKind, ScriptTarget, transpileModule } = typescript;

/**
 * Node module hooks (registered by `replayable/register`). Node 20 cannot strip types, so
 * TypeScript files are transformed (the same `transform` as every host), then transpiled; the
 * two source maps are composed and inlined, so stack traces point into the original file.
 */

const TYPESCRIPT_FILE = /\.(?:ts|mts)$/;

/** The compiler options of the hook's transpilation. */
export const NODE_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ScriptTarget.ES2022,
  module: ModuleKind.ESNext,
  sourceMap: true,
  inlineSources: true,
};

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

/** What the hook serves for a TypeScript file: transformed, transpiled JavaScript with an inline map to the original. */
export function transpileForNode(code: string, fileName: string, options: TransformOptions = optionsFromEnvironment()): { code: string; diagnostics: string[] } {
  const transformed = transform(code, fileName, options);
  const output = transpileModule(transformed.code, { fileName, compilerOptions: NODE_COMPILER_OPTIONS });
  const transpiledMap = JSON.parse(output.sourceMapText!) as { sources: string[]; sourcesContent?: (string | null)[] };
  const intermediate = `${fileName}?replayable-transformed`;
  transpiledMap.sources = [transformed.map ? intermediate : fileName];
  transpiledMap.sourcesContent = [transformed.code];
  // Compose: JavaScript -> transformed TypeScript (tsc) -> original TypeScript (magic-string).
  const map = transformed.map
    ? remapping(transpiledMap as never, (source) => (source === intermediate ? ({ ...transformed.map!, sources: [fileName], sourcesContent: [code] } as never) : null))
    : transpiledMap;
  const javascript = output.outputText.replace(/\/\/# sourceMappingURL=.*\s*$/, "");
  const inline = Buffer.from(JSON.stringify(map)).toString("base64");
  return {
    code: `${javascript}//# sourceMappingURL=data:application/json;base64,${inline}\n`,
    diagnostics: transformed.diagnostics.map(formatDiagnostic),
  };
}

interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;
interface LoadContext {
  readonly format?: string | null;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array | null }>;

/** `./payments.js` written for NodeNext resolves to `./payments.ts` when only that exists. */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    if (parent && TYPESCRIPT_FILE.test(new URL(parent).pathname) && /^\.{1,2}\/.*\.m?js$/.test(specifier)) {
      return nextResolve(specifier.replace(/\.(m?)js$/, ".$1ts"), context);
    }
    throw error;
  }
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad) {
  if (!url.startsWith("file:") || !TYPESCRIPT_FILE.test(new URL(url).pathname) || url.includes("/node_modules/")) {
    return nextLoad(url, context);
  }
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, "utf8");
  const { code, diagnostics } = transpileForNode(source, fileName);
  for (const diagnostic of diagnostics) process.emitWarning(diagnostic, { code: "REPLAYABLE_TRANSFORM" });
  return { format: "module", source: code, shortCircuit: true };
}
