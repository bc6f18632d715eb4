import type { ErrorObject, OperationRecord } from "../runtime/operation-model.js";

// What the page shows of an operation's payloads: each as text, cut at PREVIEW_CHARS (the
// page asks for the rest by label), and never ciphertext: a value the store holds encrypted
// and the console has no key for is shown as "encrypted", with how to read it.

export const PREVIEW_CHARS = 4_000;
const SEALED_PREFIX = "rpl:aes256gcm:";

export interface PayloadView {
  /** "Input", "Result", "Error", ... */
  label: string;
  /** Up to PREVIEW_CHARS characters (undefined when encrypted). */
  text?: string | undefined;
  /** Characters in the whole value. */
  size: number;
  truncated: boolean;
  encrypted: boolean;
}

/** A value encryptPayloads sealed, read without its key. */
export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

export function payloadView(label: string, value: string, limit = PREVIEW_CHARS): PayloadView {
  if (isSealed(value)) return { label, size: value.length, truncated: false, encrypted: true };
  return { label, text: value.length > limit ? value.slice(0, limit) : value, size: value.length, truncated: value.length > limit, encrypted: false };
}

/** An error object as one JSON payload (an encrypted one is `{ Sealed }`). */
export function errorText(error: ErrorObject | { Sealed: string }): string {
  if ("Sealed" in error && typeof error.Sealed === "string") return `${SEALED_PREFIX}${error.Sealed}`;
  const { ErrorType, ErrorMessage, ErrorData, StackTrace } = error as ErrorObject;
  return JSON.stringify({ ErrorType, ErrorMessage, ErrorData, StackTrace }, null, 2);
}

/** Every payload an operation record holds, full length, labelled. */
export function recordPayloads(record: OperationRecord): Array<{ label: string; value: string }> {
  const found: Array<{ label: string; value: string }> = [];
  const add = (label: string, value: string | undefined) => value !== undefined && found.push({ label, value });
  const addError = (label: string, error: ErrorObject | undefined) => error !== undefined && found.push({ label, value: errorText(error) });
  add("Input", record.ExecutionDetails?.InputPayload);
  add("Invoke input", record.ChainedInvokeOptions?.InputPayload);
  for (const details of [record.StepDetails, record.ContextDetails, record.CallbackDetails, record.ChainedInvokeDetails]) {
    add("Result", details?.Result);
    addError("Error", details?.Error);
  }
  return found;
}

/** Pulls a readable message out of an error object that may be encrypted. */
export function errorSummary(error: ErrorObject | { Sealed: string } | undefined): { type?: string | undefined; message?: string | undefined; encrypted: boolean } | undefined {
  if (error === undefined) return undefined;
  if ("Sealed" in error) return { encrypted: true };
  return { type: error.ErrorType, message: error.ErrorMessage, encrypted: false };
}
