import { readFileSync, statSync } from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { durableHandlerOf } from "../runtime/with-durable-execution.js";
import { usageError } from "./exit-codes.js";

/**
 * Imports handler files the way `node --import replayable/register` does (TypeScript is
 * transformed and compiled on the way, on Node 20), and finds their durable handlers.
 */

export interface HandlerExport {
  readonly exportName: string;
  readonly handler: unknown;
}

export interface HandlerFile {
  readonly absolute: string;
  /** As the user gave it, for messages. */
  readonly shown: string;
  /** Every export that is a durable handler (made with withDurableExecution). */
  readonly handlers: readonly HandlerExport[];
  /** Every export, for messages when none is a handler. */
  readonly exportNames: readonly string[];
  /** The file imports @aws/durable-execution-sdk-js, which the CLI maps to replayable's runtime. */
  readonly importsAwsSdk: boolean;
}

const HANDLER_FILE = /\.(?:m?ts|m?js)$/;
const AWS_SDK_IMPORT = /["']@aws\/durable-execution-sdk-js["']/;

let hooksRegistered = false;

/** Registers the module hooks (TypeScript through the transformer, the runtime mapping) once per process. */
export function registerHandlerHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  // Stack traces of TypeScript handlers point at their original lines.
  process.setSourceMapsEnabled(true);
  register("./handler-hooks.js", import.meta.url);
}

export async function loadHandlerFile(cwd: string, file: string): Promise<HandlerFile> {
  const absolute = path.resolve(cwd, file);
  let stat;
  try {
    stat = statSync(absolute);
  } catch {
    throw usageError(`No such file: ${file}${path.isAbsolute(file) ? "" : ` (looked in ${cwd})`}.`);
  }
  if (stat.isDirectory()) throw usageError(`${file} is a directory: give the file that exports the handler (.ts, .mts, .js or .mjs).`);
  if (!HANDLER_FILE.test(absolute)) throw usageError(`${file} is not a handler file the CLI can load: use a .ts, .mts, .js or .mjs file.`);
  const importsAwsSdk = AWS_SDK_IMPORT.test(readFileSync(absolute, "utf8"));

  registerHandlerHooks();
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw usageError(`${file} failed to load: ${describeLoadError(error, importsAwsSdk)}`);
  }
  const exportNames = Object.keys(namespace).sort();
  const handlers = exportNames.filter((name) => durableHandlerOf(namespace[name])).map((exportName) => ({ exportName, handler: namespace[exportName] }));
  return { absolute, shown: file, handlers, exportNames, importsAwsSdk };
}

function describeLoadError(error: unknown, importsAwsSdk: boolean): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const lines = text.split("\n");
  // The message and the frames in the user's code, not the CLI's own.
  const shown = [lines[0], ...lines.slice(1).filter((line) => !/node:internal|\/dist\/cli\/|\/cli\/load-handlers/.test(line)).slice(0, 5)].join("\n");
  const missingExport = /does not provide an export named '([^']+)'/.exec(text);
  if (missingExport && importsAwsSdk) {
    return `${shown}\nThe CLI runs handlers written for @aws/durable-execution-sdk-js on replayable's runtime, which has no export ${missingExport[1]}; import it from elsewhere or drop it.`;
  }
  return shown;
}

/** The handler to run: the only one, or the one --handler names. */
export function pickHandler(file: HandlerFile, wanted: string | undefined): HandlerExport {
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
