import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { fromAwsSdk, type AwsDurableLambdaHandler } from "../engine/index.js";
import { installCommonJsHook } from "../transformer/commonjs-hook.js";
import { durableHandlerOf } from "../runtime/with-durable-execution.js";
import { usageError } from "./exit-codes.js";
import type { HandlerSdk } from "./function-ref.js";
import { AWS_SDK_MARK, RUNTIME_REQUIRERS, installRuntimeRequire } from "./handler-hooks.js";

/**
 * Imports handler files the way `node --import replayable/register` does (each of the user's
 * TypeScript, JSX and JavaScript files is transformed, and compiled where Node 20 needs it, on
 * the way), and finds their durable handlers.
 *
 * Two SDKs: by default `@aws/durable-execution-sdk-js` imports resolve to replayable's runtime
 * and the handlers are the exports made with withDurableExecution. With `--sdk aws` the file
 * is imported without that mapping (its SDK imports get the official SDK installed beside it)
 * and the handler is an export of the SDK's withDurableExecution, a plain Lambda function,
 * which the engine runs through fromAwsSdk.
 */

export interface HandlerExport {
  readonly exportName: string;
  readonly handler: unknown;
}

export interface HandlerFile {
  readonly absolute: string;
  /** As the user gave it, for messages. */
  readonly shown: string;
  readonly sdk: HandlerSdk;
  /**
   * The exports that can be run: for replayable, every durable handler (made with replayable's
   * withDurableExecution); for aws, every function that is not one of those.
   */
  readonly handlers: readonly HandlerExport[];
  /** Every export, for messages when none is a handler. */
  readonly exportNames: readonly string[];
  /** The exports made with replayable's withDurableExecution (the handlers without --sdk aws). */
  readonly replayableHandlers: readonly string[];
  /** The file imports @aws/durable-execution-sdk-js. */
  readonly importsAwsSdk: boolean;
  /** The module's exports (`replayable serve` calls the one a function's Handler names, whatever made it). */
  readonly exports: Readonly<Record<string, unknown>>;
}

const HANDLER_FILE = /\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/;
const HANDLER_FILE_TYPES = ".ts, .mts, .cts, .tsx, .js, .mjs, .cjs or .jsx";
const AWS_SDK_IMPORT = /["']@aws\/durable-execution-sdk-js["']/;

let hooksRegistered = false;

/** Registers the module hooks (TypeScript through the transformer, the runtime mapping) once per process. */
export function registerHandlerHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  // Stack traces of TypeScript handlers point at their original lines.
  process.setSourceMapsEnabled(true);
  register("./handler-hooks.js", import.meta.url);
  // CommonJS handlers are transformed as require() loads them, in this thread, and their require() of replayable or the SDK gets the CLI's runtime.
  installCommonJsHook();
  installRuntimeRequire();
}

export async function loadHandlerFile(cwd: string, file: string, sdk: HandlerSdk = "replayable"): Promise<HandlerFile> {
  const absolute = path.resolve(cwd, file);
  let stat;
  try {
    stat = statSync(absolute);
  } catch {
    throw usageError(`No such file: ${file}${path.isAbsolute(file) ? "" : ` (looked in ${cwd})`}.`);
  }
  if (stat.isDirectory()) throw usageError(`${file} is a directory: give the file that exports the handler (${HANDLER_FILE_TYPES}).`);
  if (!HANDLER_FILE.test(absolute)) throw usageError(`${file} is not a handler file the CLI can load: use a ${HANDLER_FILE_TYPES} file.`);
  const importsAwsSdk = AWS_SDK_IMPORT.test(readFileSync(absolute, "utf8"));

  registerHandlerHooks();
  // require() sees file names, not the URL mark: a CommonJS handler's require()s get the runtime unless it runs on the official SDK.
  if (sdk === "replayable") RUNTIME_REQUIRERS.add(realpathSync(absolute));
  let namespace: Record<string, unknown>;
  const url = pathToFileURL(absolute).href + (sdk === "aws" ? `?${AWS_SDK_MARK}` : "");
  try {
    namespace = commonJsDefault((await import(url)) as Record<string, unknown>);
  } catch (error) {
    throw usageError(`${file} failed to load: ${describeLoadError(error, absolute, importsAwsSdk, sdk)}`);
  }
  const exportNames = Object.keys(namespace).sort();
  const replayableHandlers = exportNames.filter((name) => durableHandlerOf(namespace[name]) !== undefined);
  const runnable = (name: string) => (sdk === "aws" ? typeof namespace[name] === "function" && !replayableHandlers.includes(name) : replayableHandlers.includes(name));
  const handlers = exportNames.filter(runnable).map((exportName) => ({ exportName, handler: namespace[exportName] }));
  return { absolute, shown: file, sdk, handlers, exportNames, replayableHandlers, importsAwsSdk, exports: namespace };
}

/**
 * A CommonJS file's `export default` (compiled to exports.default, e.g. a .ts file in a CommonJS
 * package) is its default handler, as Lambda's `index.default` finds it; an import's default is
 * module.exports itself.
 */
function commonJsDefault(namespace: Record<string, unknown>): Record<string, unknown> {
  const exported = namespace["default"] as { __esModule?: unknown; default?: unknown } | null | undefined;
  if (typeof exported !== "object" || exported === null || exported.__esModule !== true || !("default" in exported)) return namespace;
  return { ...namespace, default: exported.default };
}

function describeLoadError(error: unknown, file: string, importsAwsSdk: boolean, sdk: HandlerSdk): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const lines = text.split("\n");
  // The message and the frames in the user's code, not the CLI's own.
  const shown = [lines[0], ...lines.slice(1).filter((line) => !/node:internal|\/dist\/cli\/|\/dist\/transformer\/|\/cli\/load-handlers/.test(line)).slice(0, 5)].join("\n");
  // Installed but without an entry point: import() names a path inside the package; require() names only the package, so it is looked up.
  const unusable =
    /Cannot find (?:package|module) '([^']*node_modules[\\/]@aws[\\/]durable-execution-sdk-js)(?:[\\/][^']*)?'/.exec(text)?.[1] ??
    (/Cannot find module '@aws\/durable-execution-sdk-js'/.test(text) ? installedSdkFolder(file) : undefined);
  if (sdk === "aws" && unusable) return `${shown}\n${unusableSdkHint(unusable)}`;
  if (sdk === "aws" && /Cannot find (?:package|module) '@aws\/durable-execution-sdk-js'/.test(text)) {
    return `${shown}\n--sdk aws runs the handler on the official SDK installed beside it: npm install @aws/durable-execution-sdk-js in its project (or run it without --sdk aws, on replayable's runtime).`;
  }
  if (/Cannot find module 'replayable'/.test(text)) {
    // The CLI maps require() only from the handler file and what it require()s, and not for --sdk aws: elsewhere it is Node's own resolution.
    const where = sdk === "aws" ? "Under --sdk aws, require() resolves replayable" : "A CommonJS file that an ES module imports resolves require(\"replayable\")";
    return `${shown}\n${where} from its own project: npm install replayable there, or import it (import ... from "replayable"), which gets the CLI's own runtime.`;
  }
  const missingExport = /does not provide an export named '([^']+)'/.exec(text);
  if (missingExport && importsAwsSdk && sdk === "replayable") {
    return `${shown}\nThe CLI runs handlers written for @aws/durable-execution-sdk-js on replayable's runtime, which has no export ${missingExport[1]}; import it from elsewhere or drop it, or run the handler on the official SDK with --sdk aws.`;
  }
  return shown;
}

/** The @aws/durable-execution-sdk-js folder Node's lookup from the handler file finds, if one is installed. */
function installedSdkFolder(file: string): string | undefined {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, "node_modules/@aws/durable-execution-sdk-js");
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/**
 * Why an installed @aws/durable-execution-sdk-js cannot be imported, and the fix. On Node 20,
 * `npm install @aws/durable-execution-sdk-js` picks 0.0.1, a placeholder without code, because
 * every real version declares Node >= 22.
 */
function unusableSdkHint(folder: string): string {
  let version: string | undefined;
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { version?: unknown };
    if (typeof manifest.version === "string") version = manifest.version;
  } catch {
    // No readable package.json: the hint goes without the version.
  }
  const installed = version !== undefined ? `@aws/durable-execution-sdk-js ${version}` : "The @aws/durable-execution-sdk-js";
  const placeholder = version === "0.0.1" ? " (0.0.1 is an empty placeholder that npm picks on Node < 22, because the real SDK declares Node >= 22)" : "";
  return (
    `${installed} installed at ${folder} has no code Node can import${placeholder}. ` +
    `Install the real SDK: npm install @aws/durable-execution-sdk-js@2 (it declares Node 22 or later; on Node 20 it runs, npm only warns about the engine), ` +
    `or use replayable's own runtime, which has the same API: run it without --sdk aws (its imports of the SDK then get replayable's runtime), or import from "replayable".`
  );
}

/** The handler to run: for replayable, the only one or the one --handler names; for aws, see pickAwsHandler. */
export function pickHandler(file: HandlerFile, wanted: string | undefined): HandlerExport {
  if (file.sdk === "aws") return pickAwsHandler(file, wanted);
  const names = file.handlers.map((h) => h.exportName);
  if (wanted !== undefined) {
    const found = file.handlers.find((h) => h.exportName === wanted);
    if (found) return found;
    const what = file.exportNames.includes(wanted) ? `exports ${wanted}, but it is not a durable handler (made with withDurableExecution)` : `has no export ${wanted}`;
    throw usageError(`${file.shown} ${what}; its durable handlers: ${names.join(", ") || "none"}.`);
  }
  if (file.handlers.length === 1) return file.handlers[0]!;
  if (file.handlers.length === 0) {
    throw usageError(
      `${file.shown} exports no durable handler. Export one made with withDurableExecution from "replayable", e.g. \`export const handler = withDurableExecution(async (event, context) => ...)\`` +
        (file.exportNames.length ? `; its exports: ${file.exportNames.join(", ")}.` : "."),
    );
  }
  throw usageError(`${file.shown} exports ${names.length} durable handlers (${names.join(", ")}): pick one with --handler <name>.`);
}

/**
 * With --sdk aws the handler is a plain Lambda function (what the SDK's withDurableExecution
 * returns), so it is found by name: --handler, else the export named `handler` (Lambda's
 * usual `index.handler`) or the default export; two different ones are ambiguous.
 */
function pickAwsHandler(file: HandlerFile, wanted: string | undefined): HandlerExport {
  const functions = file.handlers.map((h) => h.exportName);
  const listed = `its function exports: ${functions.join(", ") || "none"}`;
  const find = (name: string) => file.handlers.find((h) => h.exportName === name);
  if (wanted !== undefined) {
    const found = find(wanted);
    if (found) return found;
    if (!file.exportNames.includes(wanted)) throw usageError(`${file.shown} has no export ${wanted}; ${listed}.`);
    throw usageError(`${file.shown} exports ${wanted}, but it is not a handler --sdk aws can run (${whyNotAws(file, wanted)}); ${listed}.`);
  }
  const byDefault = find("default");
  const byName = find("handler");
  if (byDefault && byName && byDefault.handler !== byName.handler) {
    throw usageError(`${file.shown} exports both a default function and a function named handler: pick one with --handler default or --handler handler.`);
  }
  const chosen = byName ?? byDefault;
  if (chosen) return chosen;
  const replayableHandlers = file.replayableHandlers;
  throw usageError(
    `${file.shown} has no default export or export named handler that --sdk aws can run. Export the function withDurableExecution from @aws/durable-execution-sdk-js returned as handler (\`export const handler = withDurableExecution(...)\`), or name it with --handler <name>; ${listed}.` +
      (replayableHandlers.length ? ` (${replayableHandlers.join(", ")}: made with replayable's withDurableExecution; run ${replayableHandlers.length === 1 ? "it" : "them"} without --sdk aws.)` : ""),
  );
}

const REPLAYABLE_HANDLER = "it is a handler made with replayable's withDurableExecution: run it without --sdk aws";

function whyNotAws(file: HandlerFile, name: string): string {
  return file.replayableHandlers.includes(name) ? REPLAYABLE_HANDLER : "it is not a function";
}

/** What the engine registers for a chosen export: the handler itself, or for --sdk aws the handler wrapped with fromAwsSdk. */
export function engineFunction(chosen: HandlerExport, sdk: HandlerSdk): unknown {
  return sdk === "aws" ? fromAwsSdk(chosen.handler as AwsDurableLambdaHandler) : chosen.handler;
}
