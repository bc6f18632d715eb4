/**
 * The module hooks the CLI registers before it imports a handler file.
 *
 * - `replayable` resolves to this CLI's own runtime, so the handler and the engine share one
 *   copy: `error instanceof CallbackTimeoutError` in the handler sees the errors the engine's
 *   runtime throws, whichever replayable the handler's folder has installed (or none).
 * - `@aws/durable-execution-sdk-js` resolves to the same runtime: replayable has its API, so a
 *   handler written for AWS Lambda runs on the local engine unchanged. (Running it on the
 *   official SDK inside the engine is a later step; see the README.)
 * - TypeScript files go through the transformer's hooks (transformer/node-hooks.ts, what
 *   `node --import replayable/register` uses), loaded on the first TypeScript file only, so a
 *   JavaScript handler does not pay for loading the TypeScript compiler.
 */
import type * as NodeHooks from "../transformer/node-hooks.js";

const RUNTIME_URL = new URL("../runtime/index.js", import.meta.url).href;
const MAPPED = new Set(["replayable", "@aws/durable-execution-sdk-js"]);
const TYPESCRIPT_FILE = /\.(?:ts|mts)$/;

let typescriptHooks: Promise<typeof NodeHooks> | undefined;
const typescript = () => (typescriptHooks ??= import("../transformer/node-hooks.js"));

type ResolveArgs = Parameters<typeof NodeHooks.resolve>;
type LoadArgs = Parameters<typeof NodeHooks.load>;

const isTypeScript = (url: string | undefined): boolean => url !== undefined && url.startsWith("file:") && TYPESCRIPT_FILE.test(new URL(url).pathname) && !url.includes("/node_modules/");

export async function resolve(specifier: ResolveArgs[0], context: ResolveArgs[1], nextResolve: ResolveArgs[2]) {
  if (MAPPED.has(specifier)) return { url: RUNTIME_URL, format: "module", shortCircuit: true };
  // `./payments.js` written for NodeNext inside a TypeScript file finds `./payments.ts`.
  if (isTypeScript(context.parentURL)) return (await typescript()).resolve(specifier, context, nextResolve);
  return nextResolve(specifier, context);
}

export async function load(url: LoadArgs[0], context: LoadArgs[1], nextLoad: LoadArgs[2]) {
  if (isTypeScript(url)) return (await typescript()).load(url, context, nextLoad);
  return nextLoad(url, context);
}
