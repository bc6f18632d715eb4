import { readFile } from "node:fs/promises";
import { DURABLE_MARKER } from "../analysis/durable-marker.js";
import { typescriptTwins, compilerOptionsFor, loadCompiler, moduleFormatOf, ownFile, transformJavaScriptForNode, transpileForNode, warn } from "./node-compile.js";

/**
 * Node module hooks (registered by `replayable/register`, and by the CLI before it imports a
 * handler). Every file of the program's own code (not node_modules, not replayable's) gets the
 * same `transform` as every other host, so `node --import replayable/register`, `replayable run`,
 * `replayable ids` and the bundler plugin name operations alike:
 *
 * - TypeScript (.ts, .mts, .tsx) and .jsx, which Node 20 cannot run, in the format tsc's module
 *   nodenext gives them (.mts an ES module; .ts, .tsx and .jsx what the nearest package.json's
 *   "type" says): ES modules transformed, then transpiled (JSX for the react-jsx runtime, or the
 *   one a @jsxImportSource pragma names);
 * - JavaScript (.js, .mjs) ES modules with a durable handler: transformed;
 * - CommonJS (.cjs, .js in a CommonJS package, and .cts, .ts, .tsx and .jsx compiled to
 *   CommonJS): transformed in the thread that runs it, as require() loads it (commonjs-hook.ts).
 *   CommonJS source handed to Node by these hooks could not require() an ES module on Node 20
 *   ("replayable" is one), and require() from CommonJS does not pass through these hooks there.
 *   An import of such a TypeScript or JSX file is served as a small ES module that require()s it.
 *
 * Any other file, and JavaScript without a durable handler, is served exactly as Node loads it.
 * How a file is compiled, with source maps to its original lines: node-compile.ts.
 */

const TYPESCRIPT_FILE = /\.(?:ts|mts|cts|tsx)$/;
/** Files Node cannot run as they are: compiled here. */
const COMPILED_FILE = /\.(?:ts|mts|cts|tsx|jsx)$/;
const JAVASCRIPT_FILE = /\.(?:js|mjs|cjs)$/;

interface ResolveContext {
  readonly parentURL?: string;
}
type ResolveResult = { url: string; format?: string | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
interface LoadContext {
  readonly format?: string | null;
}
type LoadResult = { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

/**
 * `./payments.js` written for NodeNext resolves to `./payments.ts` (or .tsx; .mjs to .mts, .cjs to
 * .cts) when only that exists.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const parent = ownFile(context.parentURL);
    if (!parent || !TYPESCRIPT_FILE.test(parent)) throw error;
    for (const twin of typescriptTwins(specifier)) {
      try {
        return await nextResolve(twin, context);
      } catch {
        // Try the next twin; the error reported is the one for what the file wrote.
      }
    }
    throw error;
  }
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const fileName = ownFile(url);
  if (fileName !== undefined && servedAsCommonJs(fileName)) {
    return { format: "module", source: await commonJsFacade(await readFile(fileName, "utf8"), fileName), shortCircuit: true };
  }
  if (fileName !== undefined && COMPILED_FILE.test(fileName)) {
    const { code, diagnostics } = await transpileForNode(await readFile(fileName, "utf8"), fileName);
    warn(diagnostics);
    return { format: "module", source: code, shortCircuit: true };
  }
  if (fileName === undefined || !JAVASCRIPT_FILE.test(fileName)) return nextLoad(url, context);
  const loaded = await nextLoad(url, context);
  // CommonJS is left to require(), which installCommonJsHook transforms in the thread that runs it.
  if (loaded.format !== "module" || loaded.source == null) return loaded;
  const source = typeof loaded.source === "string" ? loaded.source : new TextDecoder().decode(loaded.source);
  if (!DURABLE_MARKER.test(source)) return loaded;
  const { code, diagnostics } = await transformJavaScriptForNode(source, fileName);
  warn(diagnostics);
  return code === undefined ? loaded : { format: loaded.format, source: code, shortCircuit: true };
}

/** A file of the program these hooks compile to CommonJS, so its import gets the ES module commonJsFacade makes. */
export function servedAsCommonJs(fileName: string): boolean {
  return COMPILED_FILE.test(fileName) && moduleFormatOf(fileName) === "commonjs";
}

/**
 * What an import of a file compiled to CommonJS (.cts; .ts, .tsx, .jsx in a CommonJS package) gets: an ES module that require()s it (so the CommonJS loader runs
 * it, compiled by installCommonJsHook) and exports module.exports as the default and its names as
 * Node would find them in the compiled file, e.g. `exports.handler = ...`.
 */
async function commonJsFacade(code: string, fileName: string): Promise<string> {
  const { typescript } = await loadCompiler();
  const compiled = typescript.transpileModule(code, { fileName, compilerOptions: { ...compilerOptionsFor(fileName, typescript, "commonjs"), sourceMap: false } }).outputText;
  const names = new Set<string>();
  for (const match of compiled.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=|Object\.defineProperty\(exports, "([^"]+)"/g)) names.add((match[1] ?? match[2])!);
  names.delete("__esModule");
  names.delete("default");
  const lines = [`import { createRequire } from "node:module";`, `const required = createRequire(import.meta.url)(${JSON.stringify(fileName)});`, `export default required;`];
  [...names].forEach((name, index) => lines.push(`const export${index} = required[${JSON.stringify(name)}];`, `export { export${index} as ${JSON.stringify(name)} };`));
  return `${lines.join("\n")}\n`;
}

