/**
 * The module hooks the CLI registers before it imports a handler file.
 *
 * - `replayable` resolves to this CLI's own runtime, so the handler and the engine share one
 *   copy: `error instanceof CallbackTimeoutError` in the handler sees the errors the engine's
 *   runtime throws, whichever replayable the handler's folder has installed (or none).
 * - `@aws/durable-execution-sdk-js` resolves to the same runtime (replayable has its API, so a
 *   handler written for AWS Lambda runs on the local engine unchanged), except in files loaded
 *   for `--sdk aws`: the CLI imports those with AWS_SDK_MARK in their URL, the mark is carried
 *   to the project files they import (not into node_modules), and their imports of the SDK
 *   resolve to the official SDK installed beside them, which the engine runs through fromAwsSdk.
 * - The user's files (TypeScript, JSX, JavaScript; not node_modules, not replayable's own) go
 *   through the transformer's hooks (transformer/node-hooks.ts, what `node --import
 *   replayable/register` uses), so executions the CLI starts name their operations as
 *   `replayable ids` and the bundler plugin do. Those hooks load the TypeScript compiler only
 *   for a file that needs it. CommonJS is transformed as require() loads it, in the CLI's own
 *   thread (load-handlers.ts installs that hook).
 * - require() of `replayable` or `@aws/durable-execution-sdk-js` from the user's CommonJS gets
 *   the same runtime (installRuntimeRequire, in the CLI's thread, with require(esm)), except
 *   under `--sdk aws`. require() cannot see the URL mark, so the files it maps are named in
 *   RUNTIME_REQUIRERS: the handler file (load-handlers.ts), the TypeScript files compiled to
 *   CommonJS that the hooks serve without the mark, and the project files those require().
 *   Other CommonJS (e.g. a .cjs file an ES module imports) resolves them as Node does.
 */
import { Module } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ownFile } from "../transformer/node-compile.js";
import * as transformerHooks from "../transformer/node-hooks.js";

const RUNTIME_URL = new URL("../runtime/index.js", import.meta.url).href;
const AWS_SDK = "@aws/durable-execution-sdk-js";
/** The query parameter that marks a module loaded for `--sdk aws` (keep in sync with load-handlers.ts). */
export const AWS_SDK_MARK = "replayable-sdk=aws";

type ResolveArgs = Parameters<typeof transformerHooks.resolve>;
type LoadArgs = Parameters<typeof transformerHooks.load>;

const isAwsMarked = (url: string | undefined): boolean => url !== undefined && url.startsWith("file:") && new URL(url).search.slice(1).split("&").includes(AWS_SDK_MARK);

export async function resolve(specifier: ResolveArgs[0], context: ResolveArgs[1], nextResolve: ResolveArgs[2]) {
  const aws = isAwsMarked(context.parentURL);
  if (specifier === "replayable" || (specifier === AWS_SDK && !aws)) return { url: RUNTIME_URL, format: "module", shortCircuit: true };
  // `./payments.js` written for NodeNext inside a TypeScript file finds `./payments.ts`.
  const resolved = await transformerHooks.resolve(specifier, context, nextResolve);
  if (!aws || !resolved.url.startsWith("file:") || resolved.url.includes("/node_modules/") || isAwsMarked(resolved.url)) return resolved;
  const url = new URL(resolved.url);
  url.search = url.search ? `${url.search}&${AWS_SDK_MARK}` : `?${AWS_SDK_MARK}`;
  return { ...resolved, url: url.href };
}

export async function load(url: LoadArgs[0], context: LoadArgs[1], nextLoad: LoadArgs[2]) {
  const loaded = await transformerHooks.load(url, context, nextLoad);
  const file = ownFile(url);
  if (file === undefined || isAwsMarked(url) || !transformerHooks.servedAsCommonJs(file) || typeof loaded.source !== "string") return loaded;
  // The ES module that require()s the compiled file first tells the CLI's thread that its require()s get the runtime.
  return { ...loaded, source: `globalThis[Symbol.for(${JSON.stringify(RUNTIME_REQUIRERS_KEY)})]?.add(${JSON.stringify(file)});\n${loaded.source}` };
}

/** The global (shared by the hooks' generated code and the CLI's thread) holding RUNTIME_REQUIRERS. */
const RUNTIME_REQUIRERS_KEY = "replayable.cli.runtimeRequirers";
/** The user's CommonJS files whose require() of replayable or the SDK gets the CLI's runtime. */
export const RUNTIME_REQUIRERS: Set<string> = ((globalThis as Record<symbol, Set<string> | undefined>)[Symbol.for(RUNTIME_REQUIRERS_KEY)] ??= new Set());

type ResolveFilename = (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
let runtimeRequireInstalled = false;

/**
 * Makes require() from RUNTIME_REQUIRERS resolve `replayable` and `@aws/durable-execution-sdk-js`
 * to the runtime the ES module imports get (loaded with require(esm), which Node 20.19 has, so
 * both share one module), and adds the project files they require() to them.
 */
export function installRuntimeRequire(): void {
  if (runtimeRequireInstalled) return;
  runtimeRequireInstalled = true;
  const loader = Module as unknown as { _resolveFilename: ResolveFilename };
  const resolveFilename = loader._resolveFilename;
  const runtime = fileURLToPath(RUNTIME_URL);
  loader._resolveFilename = function (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) {
    const from = parent?.filename;
    if (!from || !RUNTIME_REQUIRERS.has(from)) return resolveFilename.call(this, request, parent, ...rest);
    if (request === "replayable" || request === AWS_SDK) return runtime;
    const resolved = resolveFilename.call(this, request, parent, ...rest);
    if (path.isAbsolute(resolved) && ownFile(pathToFileURL(resolved).href) !== undefined) RUNTIME_REQUIRERS.add(resolved);
    return resolved;
  };
}
