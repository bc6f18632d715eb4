import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import replayableTransformer from "./tsc-plugin.js";
import { formatDiagnostic } from "./plan.js";
import { planForText } from "./transform.js";

/**
 * Node module hooks (registered by `replayable/register`): TypeScript files are transpiled
 * (Node 20 cannot strip types) with the transformer's edit plan applied during the same
 * transpilation, so the inline source map points into the original file.
 */

const TYPESCRIPT_FILE = /\.(?:ts|mts)$/;

/** The compiler options of the hook's transpilation. */
export const NODE_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: false,
  inlineSourceMap: true,
  inlineSources: true,
  sourceMap: false,
};

/** What the hook serves for a TypeScript file: transformed, transpiled JavaScript with an inline map. */
export function transpileForNode(code: string, fileName: string): { code: string; diagnostics: string[] } {
  const plan = planForText(code, fileName);
  const output = ts.transpileModule(code, {
    fileName,
    compilerOptions: NODE_COMPILER_OPTIONS,
    transformers: { before: [replayableTransformer(undefined, {}, { ts })] },
  });
  return { code: output.outputText, diagnostics: plan.diagnostics.map(formatDiagnostic) };
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
