import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError, ExitCode, usageError } from "./exit-codes.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

/**
 * Parses one subcommand's arguments strictly; anything unexpected is a usage error (exit 2) with
 * the subcommand's usage. Messages do not name the command: bin.ts prefixes every error with it.
 */
export function parseCommand<O extends Options>(
  args: readonly string[],
  options: O,
  usage: string,
  positionals: { min: number; max: number; what: string },
): Parsed<O> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(cleanMessage(error), usage);
  }
  const { values, positionals: given } = parsed;
  if ((values as { help?: boolean }).help) throw new CliError("", ExitCode.OK, usage);
  if (given.length < positionals.min) throw usageError(`missing ${positionals.what}`, usage);
  if (given.length > positionals.max) throw usageError(`unexpected argument ${given[positionals.max]}`, usage);
  return { values: values as Parsed<O>["values"], positionals: given };
}

function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node's parseArgs messages mention "To specify a positional argument starting with a '-'...": keep the first sentence.
  return message.replace(/\. To specify .*$/s, "").replace(/^Unknown option '([^']+)'$/, "unknown option $1");
}

/** JSON text given on the command line (or `@file.json`), checked and parsed. */
export function parseJsonArg(flag: string, text: string, readFile: (path: string) => string): { text: string; value: unknown } {
  let source = text;
  if (text.startsWith("@")) {
    try {
      source = readFile(text.slice(1));
    } catch (error) {
      throw usageError(`${flag} ${text}: cannot read ${text.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return { text: source, value: JSON.parse(source) };
  } catch (error) {
    const shown = source.length > 60 ? `${source.slice(0, 60)}...` : source;
    throw usageError(`${flag} must be JSON (${(error as Error).message}); got ${shown}. In a shell, quote it: ${flag} '{"orderId":"o-1"}'`);
  }
}

export function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit must be a positive integer; got ${text}`);
  return limit;
}
