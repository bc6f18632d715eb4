// Identifiers arrive from the command line, HTTP callers and other programs: they are
// checked before they reach the store, with errors that say what is allowed.

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@=+-]*$/;
const MAX_ID_LENGTH = 256;
const CALLBACK_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_CALLBACK_ID_LENGTH = 1024;

function describe(value: unknown): string {
  if (typeof value !== "string") return `a ${typeof value}`;
  const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
  return JSON.stringify(shown);
}

function checkIdentifier(kind: string, value: unknown, max: number, pattern: RegExp, allowed: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > max || !pattern.test(value)) {
    const length = typeof value === "string" ? ` (${value.length} characters)` : "";
    throw new TypeError(`Invalid ${kind} ${describe(value)}${length}: use 1 to ${max} characters from ${allowed}.`);
  }
}

export function checkExecutionId(value: unknown): asserts value is string {
  checkIdentifier("execution id", value, MAX_ID_LENGTH, ID_PATTERN, "letters, digits and . _ : @ = + - (starting with a letter or digit)");
}

export function checkFunctionName(value: unknown): asserts value is string {
  checkIdentifier("function name", value, MAX_ID_LENGTH, ID_PATTERN, "letters, digits and . _ : @ = + - (starting with a letter or digit)");
}

export function checkCallbackId(value: unknown): asserts value is string {
  checkIdentifier("callback id", value, MAX_CALLBACK_ID_LENGTH, CALLBACK_ID_PATTERN, "letters, digits, _ and - (the id the callback's operation was given)");
}

export class UnknownCallbackError extends Error {
  constructor(callbackId: string) {
    super(`No callback with id ${describe(callbackId)} on this store: check the id, and that the engine uses the store the execution ran on.`);
    this.name = "UnknownCallbackError";
  }
}

/** The AWS service's limit on a payload (input, result, callback result). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** JSON text of a value a caller hands the engine, or a clear error naming what is wrong with it. */
export function payloadText(value: unknown, what: string, maxBytes: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : (error as Error).message;
    throw new TypeError(`The ${what} cannot be stored as JSON: ${reason}.`);
  }
  if (text === undefined) throw new TypeError(`The ${what} cannot be stored as JSON (it is ${typeof value}).`);
  checkPayloadSize(text, what, maxBytes);
  return text;
}

export function checkPayloadSize(text: string, what: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > maxBytes) throw new RangeError(`The ${what} is ${bytes} bytes, over the ${maxBytes}-byte limit; store large data elsewhere and pass a reference.`);
}

/** A callback that has completed, timed out, or whose execution has ended: nothing is left to complete. */
export class CallbackNotWaitingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallbackNotWaitingError";
  }
}

/** An execution that cannot be stopped: it has already ended, or another process holds it. */
export class ExecutionNotStoppableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExecutionNotStoppableError";
  }
}
