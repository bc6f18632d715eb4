// A requirement's ExpectedLogs, checked against what the run wrote to stdout and stderr (AWS's
// runner reads the execution's CloudWatch logs). Each log line is a record: a JSON object
// line is its fields (the SDKs' loggers write `message`, `level`, ...; a plugin writes its own
// fields); any other line is `{ message: <line> }`.
//
//   - match: { key: value, ... }   the records whose every key matches:
//                                  '/regex/' searches the value's text (a leading Python inline
//                                  flag, as (?i), is honoured); `${NAME}` is the bound
//                                  variable (a Variable, or a placeholder the history bound);
//                                  anything else is equal (a number or boolean also equals its
//                                  text)
//     count: N                     exactly N such records (absent, with no min_count: at least 1)
//     min_count: N                 at least N
//     after: [ { key: value } ]    every such record comes after a record matching each of these
import { format, isDeepStrictEqual } from "node:util";
import type { Bindings, Mismatch } from "./match.js";

export interface ExpectedLog {
  match: Record<string, unknown>;
  count?: number | undefined;
  min_count?: number | undefined;
  after?: Array<Record<string, unknown>> | undefined;
}

export interface LogRecord {
  /** Position in the captured output. */
  index: number;
  fields: Record<string, unknown>;
  line: string;
}

const REGEX = /^\/(.*)\/$/s;
const UNBOUND = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/;

/** One record per non-empty line. */
export function parseLogLines(lines: readonly string[]): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    let fields: Record<string, unknown> = { message: line };
    const trimmed = line.trim();
    if (trimmed.startsWith("{")) {
      try {
        const parsed = JSON.parse(trimmed) as unknown;
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
      } catch {
        // a line that only looks like JSON: plain text
      }
    }
    records.push({ index: records.length, fields, line });
  }
  return records;
}

/** Checks every expectation; returns the mismatches (empty: all met). */
export function matchLogs(expected: readonly unknown[], lines: readonly string[], bindings: Bindings): Mismatch[] {
  const records = parseLogLines(lines);
  const mismatches: Mismatch[] = [];
  expected.forEach((raw, i) => {
    const path = `ExpectedLogs[${i}]`;
    const spec = asExpectedLog(raw);
    if (!spec) {
      mismatches.push({ path, expected: raw, actual: undefined, message: `${path}: not an expectation ({ match, count | min_count, after })` });
      return;
    }
    const match = bindings.substitute(spec.match);
    const after = (spec.after ?? []).map((a) => bindings.substitute(a));
    const unbound = [match, ...after].map(unboundVariable).find((name) => name !== undefined);
    if (unbound) {
      mismatches.push({ path, expected: spec.match, actual: undefined, message: `${path}: \${${unbound}} is not bound (the history did not bind it)` });
      return;
    }
    const found = records.filter((r) => recordMatches(match, r.fields));
    const describe = JSON.stringify(match);
    if (spec.count !== undefined && found.length !== spec.count) {
      mismatches.push({ path, expected: spec.count, actual: found.length, message: `${path}: expected ${spec.count} log records matching ${describe}, found ${found.length}${sample(found)}` });
    } else if (spec.count === undefined && found.length < (spec.min_count ?? 1)) {
      mismatches.push({ path, expected: spec.min_count ?? 1, actual: found.length, message: `${path}: expected at least ${spec.min_count ?? 1} log records matching ${describe}, found ${found.length}` });
    }
    for (const before of after) {
      const first = records.find((r) => recordMatches(before, r.fields));
      const early = found.filter((r) => first === undefined || r.index < first.index);
      if (early.length > 0) {
        mismatches.push({
          path,
          expected: before,
          actual: early.map((r) => r.line),
          message: `${path}: ${early.length} log record(s) matching ${describe} come before any record matching ${JSON.stringify(before)}${first ? "" : " (there is none)"}`,
        });
      }
    }
  });
  return mismatches;
}

function asExpectedLog(raw: unknown): ExpectedLog | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.match !== "object" || r.match === null || Array.isArray(r.match)) return undefined;
  if (r.count !== undefined && typeof r.count !== "number") return undefined;
  if (r.min_count !== undefined && typeof r.min_count !== "number") return undefined;
  if (r.after !== undefined && !Array.isArray(r.after)) return undefined;
  return r as unknown as ExpectedLog;
}

function recordMatches(match: Record<string, unknown>, fields: Record<string, unknown>): boolean {
  for (const [key, expected] of Object.entries(match)) {
    if (!(key in fields)) return false;
    if (!valueMatches(expected, fields[key])) return false;
  }
  return true;
}

function valueMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string") {
    const regex = REGEX.exec(expected);
    if (regex) return toRegExp(regex[1]!).test(textOf(actual));
    return typeof actual === "string" ? actual === expected : textOf(actual) === expected;
  }
  if (typeof expected === "number" || typeof expected === "boolean") return actual === expected || textOf(actual) === String(expected);
  return isDeepStrictEqual(expected, actual);
}

/** The files' patterns are Python's (AWS's runner): a leading inline flag such as (?i) becomes a JavaScript flag. */
function toRegExp(pattern: string): RegExp {
  const inline = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  if (!inline) return new RegExp(pattern);
  const flags = [...new Set(inline[1]!.split("").filter((f) => f === "i" || f === "m" || f === "s"))].join("");
  return new RegExp(pattern.slice(inline[0].length), flags);
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function unboundVariable(value: unknown): string | undefined {
  if (typeof value === "string") return UNBOUND.exec(value)?.[1];
  if (Array.isArray(value)) return value.map(unboundVariable).find((n) => n !== undefined);
  if (typeof value === "object" && value !== null) return Object.values(value).map(unboundVariable).find((n) => n !== undefined);
  return undefined;
}

function sample(found: LogRecord[]): string {
  if (found.length === 0) return "";
  const shown = found.slice(0, 3).map((r) => r.line.slice(0, 200));
  return `: ${shown.join(" | ")}${found.length > 3 ? " | ..." : ""}`;
}

/**
 * Runs fn while everything written to process.stdout and process.stderr is kept (and not
 * shown); returns fn's value and the lines written, in order.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const lines: string[] = [];
  const pending = { stdout: "", stderr: "" };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      const parts = (pending[stream] + text).split("\n");
      pending[stream] = parts.pop() ?? "";
      lines.push(...parts);
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (typeof done === "function") done(null);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  // console too: a test runner (vitest) may route console output around process.stdout.
  const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;
  const savedConsole = consoleMethods.map((name) => [name, console[name]] as const);
  for (const name of consoleMethods) {
    const stream = name === "log" || name === "info" || name === "debug" ? "stdout" : "stderr";
    const write = capture(stream);
    console[name] = (...args: unknown[]) => void write(`${format(...args)}\n`);
  }
  try {
    const value = await fn();
    return { value, lines };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [name, method] of savedConsole) console[name] = method;
    for (const rest of [pending.stdout, pending.stderr]) if (rest) lines.push(rest);
  }
}
