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
 *   thread (load-handlers.ts installs that hook), and require() resolves `replayable` as Node
 *   does, from the handler's project.
 */
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
  return transformerHooks.load(url, context, nextLoad);
}
