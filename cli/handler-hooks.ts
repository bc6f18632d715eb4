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
 * - TypeScript files go through the transformer's hooks (transformer/node-hooks.ts, what
 *   `node --import replayable/register` uses), loaded on the first TypeScript file only, so a
 *   JavaScript handler does not pay for loading the TypeScript compiler.
 */
import type * as NodeHooks from "../transformer/node-hooks.js";

const RUNTIME_URL = new URL("../runtime/index.js", import.meta.url).href;
const AWS_SDK = "@aws/durable-execution-sdk-js";
/** The query parameter that marks a module loaded for `--sdk aws` (keep in sync with load-handlers.ts). */
export const AWS_SDK_MARK = "replayable-sdk=aws";
const TYPESCRIPT_FILE = /\.(?:ts|mts)$/;

let typescriptHooks: Promise<typeof NodeHooks> | undefined;
const typescript = () => (typescriptHooks ??= import("../transformer/node-hooks.js"));

type ResolveArgs = Parameters<typeof NodeHooks.resolve>;
type LoadArgs = Parameters<typeof NodeHooks.load>;

const isTypeScript = (url: string | undefined): boolean => url !== undefined && url.startsWith("file:") && TYPESCRIPT_FILE.test(new URL(url).pathname) && !url.includes("/node_modules/");
const isAwsMarked = (url: string | undefined): boolean => url !== undefined && url.startsWith("file:") && new URL(url).search.slice(1).split("&").includes(AWS_SDK_MARK);

export async function resolve(specifier: ResolveArgs[0], context: ResolveArgs[1], nextResolve: ResolveArgs[2]) {
  const aws = isAwsMarked(context.parentURL);
  if (specifier === "replayable" || (specifier === AWS_SDK && !aws)) return { url: RUNTIME_URL, format: "module", shortCircuit: true };
  // `./payments.js` written for NodeNext inside a TypeScript file finds `./payments.ts`.
  const resolved = isTypeScript(context.parentURL) ? await (await typescript()).resolve(specifier, context, nextResolve) : await nextResolve(specifier, context);
  if (!aws || !resolved.url.startsWith("file:") || resolved.url.includes("/node_modules/") || isAwsMarked(resolved.url)) return resolved;
  const url = new URL(resolved.url);
  url.search = url.search ? `${url.search}&${AWS_SDK_MARK}` : `?${AWS_SDK_MARK}`;
  return { ...resolved, url: url.href };
}

export async function load(url: LoadArgs[0], context: LoadArgs[1], nextLoad: LoadArgs[2]) {
  if (isTypeScript(url)) return (await typescript()).load(url, context, nextLoad);
  return nextLoad(url, context);
}
