import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { ErrorObject, OperationRecord } from "../runtime/operation-model.js";
import type { CommitBatch, EngineStore, ExecutionRow, Signal, StoredSignal } from "./store.js";

/** An AES-256 key and the id stored beside everything it encrypts (so keys can rotate). */
export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export interface PayloadEncryptionOptions {
  /** Encrypts everything written from now on. */
  key: PayloadKey;
  /** Old keys, to read what they encrypted (key rotation). */
  fallbackKeys?: PayloadKey[];
  /**
   * Migration only: also read values stored in the clear (written before encryption was
   * turned on). Without it every payload read must be sealed and verify, or the read fails.
   */
  acceptPlaintext?: boolean;
}

export class PayloadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadKeyError";
  }
}

const PREFIX = "rpl:aes256gcm:";
/** An encrypted error object: its JSON, encrypted, in place of the fields. */
type SealedError = { Sealed: string };

/**
 * Wraps a store so inputs, results, errors (with their stack traces) and callback payloads
 * are encrypted at rest with AES-256-GCM. Ids, names, types, statuses and times stay in
 * the clear: the engine schedules by them. Each value is bound to its execution, operation
 * and field (additional authenticated data), so a ciphertext moved elsewhere fails to open.
 */
export function encryptPayloads(store: EngineStore, options: PayloadEncryptionOptions): EngineStore {
  const codec = new PayloadCodec(options);
  const sealRecord = (executionId: string, r: OperationRecord) => codec.record(executionId, r, "seal");
  const openRecord = (executionId: string, r: OperationRecord) => codec.record(executionId, r, "open");
  const openRow = (row: ExecutionRow) => codec.row(row, row.executionId, "open");
  return {
    createExecution: async (row) => {
      const { created, execution } = await store.createExecution(codec.row(row, row.executionId, "seal"));
      return { created, execution: openRow(execution) };
    },
    getExecution: async (id) => {
      const row = await store.getExecution(id);
      return row && openRow(row);
    },
    listExecutions: async (filter) => (await store.listExecutions(filter)).map(openRow),
    loadOperations: async (id) => (await store.loadOperations(id)).map((r) => openRecord(id, r)),
    loadOperation: async (id, operationId) => {
      const record = await store.loadOperation(id, operationId);
      return record && openRecord(id, record);
    },
    loadUpdates: async (id, after) => (await store.loadUpdates(id, after)).map((u) => ({ ...u, record: openRecord(id, u.record) })),
    loadInvocations: (id) => store.loadInvocations(id),
    claimDue: (...args) => store.claimDue(...args),
    claim: (...args) => store.claim(...args),
    heldDue: (now) => store.heldDue(now),
    renew: (...args) => store.renew(...args),
    commit: (batch: CommitBatch) =>
      store.commit({
        ...batch,
        operations: batch.operations.map((r) => sealRecord(batch.executionId, r)),
        execution: batch.execution && codec.row(batch.execution, batch.executionId, "seal"),
        signals: batch.signals?.map((s) => codec.signal(s, "seal")),
      }),
    nextWakeAt: () => store.nextWakeAt(),
    addSignal: (signal) => store.addSignal(codec.signal(signal, "seal")),
    addCallbackSignal: (target, outcome, clock) => store.addCallbackSignal(target, codec.signal({ ...target, outcome, at: 0 }, "seal").outcome, clock),
    pendingSignals: async (id) => (await store.pendingSignals(id)).map((s) => codec.signal(s, "open") as StoredSignal),
    claimDispatch: (...args) => store.claimDispatch(...args),
    findCallback: (id) => store.findCallback(id),
    subscribeWakeUps: store.subscribeWakeUps && ((listener) => store.subscribeWakeUps!(listener)),
    close: () => store.close(),
  };
}

/** "execution e-1, operation step#0 (result)" from a value's authenticated context. */
function describeContext(context: string): string {
  const [first, second, field] = context.split("\u0000");
  return first === "execution" ? `execution ${second} (${field})` : `execution ${first}, operation ${second} (${field})`;
}

class PayloadCodec {
  private readonly primary: PayloadKey;
  private readonly keys = new Map<string, Buffer>();
  private readonly acceptPlaintext: boolean;

  constructor(options: PayloadEncryptionOptions) {
    this.acceptPlaintext = options.acceptPlaintext === true;
    for (const k of [options.key, ...(options.fallbackKeys ?? [])]) {
      // Two keys under one id: which one sealed a value could not be told, and the store would open wrongly or loop on errors.
      if (this.keys.has(k.id)) throw new PayloadKeyError(`Payload key id "${k.id}" is given twice (as key and in fallbackKeys, or twice in fallbackKeys): give each key its own id.`);
      if (!Buffer.isBuffer(k.key) || k.key.length !== 32) throw new PayloadKeyError(`Payload key "${k.id}" must be 32 bytes (AES-256); got ${Buffer.isBuffer(k.key) ? k.key.length : typeof k.key}.`);
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(k.id)) throw new PayloadKeyError(`Payload key id ${JSON.stringify(k.id)} must be 1-64 characters from letters, digits, _ . -`);
      this.keys.set(k.id, k.key);
    }
    this.primary = options.key;
  }

  text(value: string | undefined, context: string, mode: "seal" | "open"): string | undefined {
    if (value === undefined) return undefined;
    return mode === "seal" ? this.seal(value, context) : this.open(value, context);
  }

  error(value: ErrorObject | undefined, context: string, mode: "seal" | "open"): ErrorObject | undefined {
    if (value === undefined) return undefined;
    if (mode === "seal") return { Sealed: this.seal(JSON.stringify(value), context) } as SealedError as ErrorObject;
    const sealed = (value as Partial<SealedError>).Sealed;
    if (typeof sealed === "string") return JSON.parse(this.open(sealed, context)) as ErrorObject;
    if (this.acceptPlaintext) return value;
    throw new PayloadKeyError(`The error of ${describeContext(context)} is not encrypted although encryption is on: it was altered, or written before encryption was turned on (open the store with acceptPlaintext: true to migrate it).`);
  }

  /** Seals or opens the payload fields present in a (possibly partial) execution row. */
  row<R extends Partial<ExecutionRow>>(row: R, executionId: string, mode: "seal" | "open"): R {
    const at = `execution\u0000${executionId}`;
    const out = { ...row };
    if (row.input !== undefined) out.input = this.text(row.input, `${at}\u0000input`, mode);
    if (row.result !== undefined) out.result = this.text(row.result, `${at}\u0000result`, mode);
    if (row.error !== undefined) out.error = this.error(row.error, `${at}\u0000error`, mode);
    return out;
  }

  record(executionId: string, r: OperationRecord, mode: "seal" | "open"): OperationRecord {
    const at = (field: string) => `${executionId}\u0000${r.Id}\u0000${field}`;
    const out: OperationRecord = { ...r };
    if (r.ExecutionDetails) out.ExecutionDetails = { ...r.ExecutionDetails, InputPayload: this.text(r.ExecutionDetails.InputPayload, at("input"), mode) };
    if (r.StepDetails) out.StepDetails = { ...r.StepDetails, Result: this.text(r.StepDetails.Result, at("result"), mode), Error: this.error(r.StepDetails.Error, at("error"), mode) };
    if (r.ContextDetails) out.ContextDetails = { ...r.ContextDetails, Result: this.text(r.ContextDetails.Result, at("result"), mode), Error: this.error(r.ContextDetails.Error, at("error"), mode) };
    if (r.CallbackDetails) out.CallbackDetails = { ...r.CallbackDetails, Result: this.text(r.CallbackDetails.Result, at("result"), mode), Error: this.error(r.CallbackDetails.Error, at("error"), mode) };
    if (r.ChainedInvokeDetails) {
      out.ChainedInvokeDetails = { Result: this.text(r.ChainedInvokeDetails.Result, at("result"), mode), Error: this.error(r.ChainedInvokeDetails.Error, at("error"), mode) };
    }
    if (r.ChainedInvokeOptions) out.ChainedInvokeOptions = { ...r.ChainedInvokeOptions, InputPayload: this.text(r.ChainedInvokeOptions.InputPayload, at("input"), mode) };
    return out;
  }

  signal<S extends Signal>(signal: S, mode: "seal" | "open"): S {
    const at = `${signal.executionId}\u0000${signal.operationId}\u0000signal`;
    const o = signal.outcome;
    if (o.kind === "callback-succeeded" || o.kind === "invoke-succeeded") return { ...signal, outcome: { ...o, result: this.text(o.result, at, mode) } };
    if (o.kind === "callback-failed" || o.kind === "invoke-failed") return { ...signal, outcome: { ...o, error: this.error(o.error, at, mode)! } };
    return signal;
  }

  private seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.primary.key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${PREFIX}${this.primary.id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
  }

  private open(value: string, context: string): string {
    if (typeof value !== "string" || !value.startsWith(PREFIX)) {
      // Values written before encryption was turned on are readable only when migrating.
      if (this.acceptPlaintext) return value;
      throw new PayloadKeyError(`The payload of ${describeContext(context)} is not encrypted although encryption is on: it was altered, or written before encryption was turned on (open the store with acceptPlaintext: true to migrate it).`);
    }
    const [keyId, data] = value.slice(PREFIX.length).split(":");
    const key = this.keys.get(keyId ?? "");
    if (!key) {
      throw new PayloadKeyError(`The payload of ${describeContext(context)} was encrypted with key "${keyId}", which is not configured: add it to fallbackKeys (key rotation keeps old keys readable).`);
    }
    const raw = Buffer.from(data ?? "", "base64url");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new PayloadKeyError(`The payload of ${describeContext(context)}, encrypted with key "${keyId}", failed its integrity check: it was altered, or moved from another execution or field.`);
    }
  }
}
