// Compares actual outcomes and histories with a requirement's expectations, by the rules of
// AWS's conformance runner:
//
//   '*'                 any value (the key must be present)
//   {}                  any value (the key must be present)
//   ${NAME}             a placeholder: bound to the actual value on first sight, equal to it after
//                       (Variables are bound before the run, so ${INPUT_1} compares)
//   ${/regex/}          the actual value, as text, contains a match
//   {"${JSON}": spec}   the actual value is JSON text; spec is matched against what it decodes to
//   key: ${ABSENT}      the key is not present
//   mappings            only the expected keys are compared; extra actual keys are ignored
//   lists               same length, element by element
//   otherwise           equal, after substituting bound ${NAME}s inside text; two texts that are
//                       both JSON and decode to equal values are equal ('{"a": 1}' and '{"a":1}')
//
// Expected events are matched to actual events by EventId; actual events the requirement does
// not list are not checked.
import { isDeepStrictEqual } from "node:util";
import type { ExpectedEvent, ExpectedResult } from "./requirements.js";

const PLACEHOLDER = /^\$\{(?!ABSENT\}|JSON\})([^/}][^}]*)\}$/;
const REGEX = /^\$\{\/(.+)\/\}$/s;
const EMBEDDED = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const GENERATOR = /^\$\{(GEN_[A-Z]+)(?::([^}]*))?\}$/;
const JSON_DIRECTIVE = "${JSON}";
const ABSENT = "${ABSENT}";

/** Placeholder values of one run: the requirement's Variables, then what history matching binds. */
export class Bindings {
  private readonly values = new Map<string, unknown>();

  constructor(initial: Record<string, unknown> = {}) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
  get(name: string): unknown {
    return this.values.get(name);
  }
  bind(name: string, value: unknown): void {
    this.values.set(name, value);
  }
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }

  /**
   * Replaces bound placeholders in a value (deeply): a text that is exactly `${NAME}` becomes
   * the bound value itself, `${NAME}` inside a longer text becomes its text. Unbound
   * placeholders, regexes and wildcards are left as they are.
   */
  substitute<T>(value: T): T {
    if (typeof value === "string") {
      const whole = PLACEHOLDER.exec(value);
      if (whole && this.values.has(whole[1]!)) return this.values.get(whole[1]!) as T;
      if (REGEX.test(value)) return value;
      return value.replace(EMBEDDED, (text, name: string) => (this.values.has(name) ? textOf(this.values.get(name)) : text)) as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v)) as T;
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)])) as T;
    return value;
  }
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `${GEN_STR:N}`: N random lowercase letters and digits. */
export function generateString(length: number, random: () => number = Math.random): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}

/**
 * Resolves a requirement's Variables for one run, in order: `${GEN_STR:N}` generates a fresh
 * string; any other value is taken as written, after substituting variables defined before it.
 */
export function resolveVariables(variables: Record<string, unknown>, options: { random?: () => number } = {}): Bindings {
  const bindings = new Bindings();
  for (const [name, spec] of Object.entries(variables)) {
    const generator = typeof spec === "string" ? GENERATOR.exec(spec) : null;
    if (generator) {
      const [, kind, arg] = generator;
      if (kind !== "GEN_STR") throw new Error(`Variable ${name}: unknown generator ${spec} (known: \${GEN_STR:N})`);
      const length = Number(arg);
      if (!Number.isInteger(length) || length < 1) throw new Error(`Variable ${name}: ${spec} needs a positive length, as \${GEN_STR:8}`);
      bindings.bind(name, generateString(length, options.random));
    } else {
      bindings.bind(name, bindings.substitute(spec));
    }
  }
  return bindings;
}

export interface Mismatch {
  /** Where: "event #3 (EventId 4, StepSucceeded) StepSucceededDetails.Result.Payload", or "Result". */
  path: string;
  expected: unknown;
  actual: unknown;
  message: string;
}

/** Matches one expected value against an actual one (rules above); returns the mismatches. */
export function matchValue(expected: unknown, actual: unknown, bindings: Bindings, path = "value"): Mismatch[] {
  const mismatches: Mismatch[] = [];
  walk(expected, actual, path, bindings, mismatches);
  return mismatches;
}

function walk(expected: unknown, actual: unknown, path: string, bindings: Bindings, out: Mismatch[]): void {
  const miss = (message: string, exp: unknown = expected): void => {
    out.push({ path, expected: exp, actual, message: `${path}: ${message}` });
  };
  if (isRecord(expected) && Object.keys(expected).length === 0) return; // {}: don't care
  if (expected === "*") return;
  if (typeof expected === "string") {
    const placeholder = PLACEHOLDER.exec(expected);
    if (placeholder) {
      const name = placeholder[1]!;
      if (!bindings.has(name)) {
        bindings.bind(name, actual);
        return;
      }
      const bound = bindings.get(name);
      if (!looselyEqual(bound, actual)) miss(`expected ${show(bound)} (\${${name}}, bound before), got ${show(actual)}`, bound);
      return;
    }
    const regex = REGEX.exec(expected);
    if (regex) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(regex[1]!);
      } catch (error) {
        miss(`the expected pattern ${expected} is not a valid regular expression (${(error as Error).message})`);
        return;
      }
      if (actual === undefined || actual === null || !pattern.test(textOf(actual))) miss(`expected a value matching /${regex[1]}/, got ${show(actual)}`);
      return;
    }
  }
  if (isRecord(expected) && Object.keys(expected).length === 1 && JSON_DIRECTIVE in expected) {
    if (typeof actual !== "string") return miss(`expected JSON text to decode, got ${show(actual)}`);
    let decoded: unknown;
    try {
      decoded = JSON.parse(actual);
    } catch {
      return miss(`expected JSON text, got ${show(actual)}`);
    }
    walk(expected[JSON_DIRECTIVE], decoded, `${path}<json>`, bindings, out);
    return;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return miss(`expected a mapping, got ${show(actual)}`);
    for (const [key, value] of Object.entries(expected)) {
      const childPath = `${path}.${key}`;
      const present = key in actual && actual[key] !== undefined;
      if (value === ABSENT) {
        if (present) out.push({ path: childPath, expected: ABSENT, actual: actual[key], message: `${childPath}: expected no such key, got ${show(actual[key])}` });
        continue;
      }
      if (!present) {
        out.push({ path: childPath, expected: value, actual: undefined, message: `${childPath}: missing (expected ${show(value)})` });
        continue;
      }
      walk(value, actual[key], childPath, bindings, out);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return miss(`expected a list, got ${show(actual)}`);
    if (expected.length !== actual.length) return miss(`expected a list of ${expected.length}, got ${actual.length}: ${show(actual)}`);
    expected.forEach((e, i) => walk(e, actual[i], `${path}[${i}]`, bindings, out));
    return;
  }
  const resolved = typeof expected === "string" ? bindings.substitute(expected) : expected;
  if (!looselyEqual(resolved, actual)) miss(`expected ${show(resolved)}, got ${show(actual)}`, resolved);
}

/** Equal, or two JSON texts that decode to equal values. */
function looselyEqual(expected: unknown, actual: unknown): boolean {
  if (isDeepStrictEqual(expected, actual)) return true;
  if (typeof expected === "string" && typeof actual === "string") {
    const a = tryParse(expected);
    const b = tryParse(actual);
    return a.ok && b.ok && isDeepStrictEqual(a.value, b.value);
  }
  return false;
}

/** A history event as AWS's GetDurableExecutionHistory returns it (see history.ts). */
export interface HistoryEventLike {
  EventType?: string | undefined;
  EventId?: number | undefined;
}

/**
 * Matches expected events to actual ones by EventId. Events the expectation does not list are
 * not checked; a listed EventId the history does not reach is a mismatch.
 */
export function matchHistory(expected: ExpectedEvent[], actual: HistoryEventLike[], bindings: Bindings): Mismatch[] {
  const byId = new Map<number, { event: HistoryEventLike; index: number }>();
  actual.forEach((event, index) => {
    if (typeof event.EventId === "number") byId.set(event.EventId, { event, index });
  });
  const out: Mismatch[] = [];
  expected.forEach((e, i) => {
    const found = byId.get(e.EventId);
    const label = `expected event #${i + 1} (EventId ${e.EventId}, ${e.EventType})`;
    if (!found) {
      out.push({ path: label, expected: e, actual: undefined, message: `${label}: the history has no EventId ${e.EventId} (it has ${actual.length} events)` });
      return;
    }
    const { event } = found;
    // A different event at this EventId: one mismatch, and no placeholder bound from it.
    if (typeof e.EventType === "string" && e.EventType !== "*" && !e.EventType.startsWith("${") && event.EventType !== e.EventType) {
      out.push({ path: `${label}.EventType`, expected: e.EventType, actual: event.EventType, message: `${label}: the history has ${show(event.EventType)} at EventId ${e.EventId}` });
      return;
    }
    walk(toPlain(e), toPlain(event), label, bindings, out);
  });
  return out;
}

export interface ActualOutcome {
  status: string;
  /** The handler's result as the execution's Result JSON decodes (undefined: no result). */
  result?: unknown;
}

/**
 * As AWS's runner: the status when the requirement gives one; the Result only when the
 * execution succeeded and the requirement gives one, compared for equality after substituting
 * variables (a missing result equals null).
 */
export function matchResult(expected: ExpectedResult | undefined, actual: ActualOutcome, bindings: Bindings): Mismatch[] {
  if (!expected) return [];
  if (expected.ExecutionStatus !== undefined && expected.ExecutionStatus !== actual.status) {
    return [{ path: "ExecutionStatus", expected: expected.ExecutionStatus, actual: actual.status, message: `ExecutionStatus: expected ${expected.ExecutionStatus}, got ${actual.status}` }];
  }
  if (actual.status !== "SUCCEEDED" || !expected.hasResult) return [];
  const want = bindings.substitute(expected.Result ?? null);
  const got = actual.result === undefined ? null : actual.result;
  if (isDeepStrictEqual(toPlain(want), toPlain(got))) return [];
  return [{ path: "Result", expected: want, actual: got, message: `Result: expected ${show(want)}, got ${show(got)}` }];
}

/** Dates become ISO text and undefined members disappear, as in the history's JSON. */
function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v);
    return out;
  }
  return value;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(toPlain(value)) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
