import { closeSync, openSync, readSync } from "node:fs";
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
    parsed = parseArgs({ args: joinNegativeValues(args, options), options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(cleanMessage(error), usage);
  }
  const { values, positionals: given } = parsed;
  if ((values as { help?: boolean }).help) throw new CliError("", ExitCode.OK, usage);
  if (given.length < positionals.min) throw usageError(`missing ${positionals.what}`, usage);
  if (given.length > positionals.max) throw usageError(`unexpected argument ${given[positionals.max]}`, usage);
  return { values: values as Parsed<O>["values"], positionals: given };
}

/**
 * `--limit -1` as `--limit=-1`: strict parseArgs refuses a value that starts with a dash
 * ("argument is ambiguous"), so a negative number would never reach the option's own check.
 * No option name starts with a digit, so a dash then a digit can only be a value.
 */
function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const takesValue = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== "string") continue;
    takesValue.set(`--${name}`, name);
    if (option.short) takesValue.set(`-${option.short}`, name);
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      joined.push(...args.slice(i));
      break;
    }
    const name = takesValue.get(arg);
    const next = args[i + 1];
    if (name !== undefined && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A string option followed by something dash-led: Node's text suggests '--limit=-XYZ' and calls it "ambiguous".
  const ambiguous = /^Option '(-[^' ]+)(?: <value>)?' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value, but the argument after it starts with '-'; if that is the value, write ${ambiguous[1]}=<value>`;
  const missing = /^Option '(-[^' ]+) <value>' argument missing$/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  // Node's parseArgs messages mention "To specify a positional argument starting with a '-'...": keep the first sentence.
  return message.replace(/\. To specify .*$/s, "").replace(/^Unknown option '([^']+)'$/, "unknown option $1");
}

/** JSON text given on the command line (or `@file.json`, read up to the payload limit), checked and parsed. */
export function parseJsonArg(flag: string, text: string, maxBytes: number): { text: string; value: unknown } {
  let source = text;
  if (text.startsWith("@")) {
    const file = text.slice(1);
    let read: Buffer;
    try {
      read = readAtMost(file, maxBytes + 1);
    } catch (error) {
      throw usageError(`${flag} ${text}: cannot read ${file}: ${(error as Error).message}`);
    }
    if (read.length > maxBytes) throw usageError(`${flag} ${text}: ${file} holds more than the ${maxBytes}-byte payload limit (read stopped there); store large data elsewhere and pass a reference.`);
    source = read.toString("utf8");
  }
  try {
    return { text: source, value: JSON.parse(source) };
  } catch (error) {
    const shown = source.length > 60 ? `${source.slice(0, 60)}...` : source;
    throw usageError(`${flag} must be JSON (${(error as Error).message}); got ${shown}. In a shell, quote it: ${flag} '{"orderId":"o-1"}'`);
  }
}

/** The first `limit` bytes of a file: /dev/zero or a huge file cannot exhaust memory. */
function readAtMost(file: string, limit: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, limit - length, null);
      if (read === 0) break;
      length += read;
      if (length === limit) break;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** A count option such as --limit: digits only, so `1e3`, `0x10` and ` 5` are refused rather than guessed at. */
export function parsePositiveInteger(flag: string, text: string | undefined, fallback: number, usage?: string): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw usageError(`${flag} must be a positive integer; got ${text === "" ? "an empty value" : text}`, usage);
  return value;
}

export function parseLimit(text: string | undefined, fallback: number, usage?: string): number {
  return parsePositiveInteger("--limit", text, fallback, usage);
}
