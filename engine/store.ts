import type { ErrorObject, OperationRecord } from "../runtime/operation-model.js";
import type { ExecutionFilter } from "./store-rules.js";

/**
 * The one interface every store implements (MemoryStore, SqliteStore, PostgresStore). The engine is the
 * only writer of operation records; every write that changes an execution goes through
 * commit() under a lease, and the store refuses a commit whose fencing epoch is stale.
 */
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED";

export interface ExecutionRow {
  executionId: string;
  /** The registered function this execution runs. */
  functionName: string;
  status: ExecutionStatus;
  /** JSON text of the input event. */
  input: string;
  /** JSON text of the result (SUCCEEDED), or undefined for a handler returning nothing. */
  result?: string | undefined;
  error?: ErrorObject | undefined;
  createdAt: number;
  updatedAt: number;
  endedAt?: number | undefined;
  /**
   * When the execution next has work (ms since epoch): creation, a wait's end, a retry, a
   * callback deadline, a callback or invoke that completed (set to "now"). Undefined while
   * it waits only for something external, or once it has ended.
   */
  nextWakeAt?: number | undefined;
  /** Set on an execution started by another's context.invoke: where its outcome goes. */
  parent?: { executionId: string; operationId: string } | undefined;
  /** The fencing epoch of the latest claim; every claim increments it. */
  epoch: number;
  /** Invocations run so far (each claim that ran the handler counts one). */
  invocations: number;
  /**
   * Claims in a row that took the execution over from an expired lease its holder never
   * released (a worker killed, or a step blocking the event loop longer than the lease);
   * each doubles the next lease. 0 after a worker releases it.
   */
  expiredLeases?: number | undefined;
}

/** One run of the handler (an AWS Lambda invocation), as the history shows it. */
export interface InvocationRow {
  /** 1-based, as ExecutionRow.invocations and the updates' invocation numbers. */
  invocation: number;
  startedAt: number;
  /** Undefined while it runs, or when its process died during it. */
  endedAt?: number | undefined;
  requestId?: string | undefined;
  outcome?: "SUCCEEDED" | "FAILED" | "PENDING" | undefined;
  /** A woken handler continued in memory instead of replaying. */
  warm?: boolean | undefined;
}

/** What a worker holds while it runs an execution. */
export interface Lease {
  executionId: string;
  owner: string;
  /** Commits must carry this epoch; a later claim by anyone makes it stale. */
  epoch: number;
  expiresAt: number;
}

/**
 * Something that happened outside an execution and changes one of its operations: a
 * callback completed or heartbeat from outside, or a chained invoke's target ended. The
 * worker that next claims the execution applies it under its lease, so only the lease
 * holder ever writes operation records.
 */
export interface Signal {
  executionId: string;
  operationId: string;
  outcome:
    | { kind: "callback-succeeded"; result: string | undefined }
    | { kind: "callback-failed"; error: ErrorObject }
    | { kind: "callback-heartbeat" }
    | { kind: "invoke-succeeded"; result: string | undefined }
    | { kind: "invoke-failed"; error: ErrorObject };
  at: number;
}

export type CallbackOutcome = Extract<Signal["outcome"], { kind: `callback-${string}` }>;
export interface CallbackTarget {
  executionId: string;
  operationId: string;
}
/** Accepted with the time it was committed at, or refused with why the callback no longer waits. */
export type CallbackSignalAnswer = { accepted: true; at: number } | { accepted: false; reason: string };

export type DispatchClaim = { claimed: true; expiresAt: number } | { claimed: false; owner: string; expiresAt: number };

export interface StoredSignal extends Signal {
  /** Store-assigned, increasing. */
  sequence: number;
}

/** One checkpoint batch: committed in one transaction, or not at all. */
export interface CommitBatch {
  executionId: string;
  epoch: number;
  /** The engine's clock at the commit (ms since epoch): the updates' timestamps. */
  at: number;
  /** New states of operation records, in the order they were written. */
  operations: OperationRecord[];
  /** Execution-level changes (status, result, error, nextWakeAt, invocations). */
  execution?: Partial<Pick<ExecutionRow, "status" | "result" | "error" | "endedAt" | "nextWakeAt" | "invocations">> | undefined;
  /** Starts or ends an invocation (fields given are set; the rest kept). */
  invocation?: InvocationRow | undefined;
  /** Signals this batch applied (removed from the pending set). */
  appliedSignals?: number[] | undefined;
  /** Signals for other executions, committed with this batch (a child's outcome for its parent's invoke). */
  signals?: Signal[] | undefined;
  /** Release the lease with this commit (the worker is done with the execution for now). */
  release?: boolean | undefined;
  /**
   * Due at execution.nextWakeAt and no earlier, though signals are pending (they stay pending
   * for then): a worker backing off after a store error, which a pending signal would
   * otherwise make due again at once, every poll.
   */
  backOff?: boolean | undefined;
}

export class LeaseLostError extends Error {
  constructor(executionId: string, epoch: number) {
    super(`Execution ${executionId}: this worker's claim (epoch ${epoch}) was superseded by another worker; its checkpoint was not committed.`);
    this.name = "LeaseLostError";
  }
}

export interface EngineStore {
  /**
   * Creates an execution, or returns the existing one with that id (starting twice is
   * idempotent). `created` says which.
   */
  createExecution(row: Omit<ExecutionRow, "epoch" | "invocations" | "status" | "updatedAt">): Promise<{ created: boolean; execution: ExecutionRow }>;
  getExecution(executionId: string): Promise<ExecutionRow | undefined>;
  /** Newest first. */
  listExecutions(filter?: ExecutionFilter): Promise<ExecutionRow[]>;
  /** The latest state of every operation of an execution, in first-write order. */
  loadOperations(executionId: string): Promise<OperationRecord[]>;
  /** The latest state of one operation, without reading the rest of the history. */
  loadOperation(executionId: string, operationId: string): Promise<OperationRecord | undefined>;
  loadInvocations(executionId: string): Promise<InvocationRow[]>;
  /** Every committed state of every operation, in commit order (the execution's history). */
  loadUpdates(executionId: string, afterSequence?: number): Promise<Array<{ sequence: number; at: number; invocation: number; record: OperationRecord }>>;
  /**
   * Claims up to `limit` RUNNING executions whose nextWakeAt is due and whose lease is free
   * or expired, incrementing each one's epoch. Atomic across processes sharing the store.
   * With functionNames, only executions of those functions (a worker claims what it can run).
   */
  claimDue(owner: string, now: number, leaseMs: number, limit: number, functionNames?: readonly string[]): Promise<Lease[]>;
  /**
   * Claims one execution (due or not) if its lease is free; undefined when another worker
   * holds it. With takeOverFrom, also when that owner still holds it (its process is known
   * to be dead): the claim then fences the dead owner out like any other.
   */
  claim(executionId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<Lease | undefined>;
  /** Due executions whose lease is still held, with their holders (to find holders that died). */
  heldDue(now: number): Promise<Array<{ executionId: string; owner: string; functionName: string }>>;
  /** Extends a lease; false when it was lost. */
  renew(lease: Lease, now: number, leaseMs: number): Promise<boolean>;
  /** Commits a batch atomically; rejects with LeaseLostError when the epoch is stale. */
  commit(batch: CommitBatch): Promise<void>;
  /** The earliest nextWakeAt among RUNNING executions, for the worker's timer. */
  nextWakeAt(): Promise<number | undefined>;
  /** Records a signal and makes its execution due at signal.at. */
  addSignal(signal: Signal): Promise<void>;
  /**
   * Records a callback's completion or heartbeat only if the callback still waits at the
   * moment of the write: the check (execution running, operation STARTED, no completion
   * pending, deadline not reached) and the insert are one transaction, and `clock` is read
   * inside it, under the write lock. Of several senders exactly one completion is accepted;
   * one committed at or after the deadline is refused, as the worker then times it out.
   */
  addCallbackSignal(target: CallbackTarget, outcome: CallbackOutcome, clock: () => number): Promise<CallbackSignalAnswer>;
  pendingSignals(executionId: string): Promise<StoredSignal[]>;
  /**
   * Claims the dispatch of a plain function an execution's invoke runs, so that of several
   * engines on the store only one runs it: claimed when no one holds it, its holder's claim
   * has expired, the holder is `owner` (a renewal) or `takeOverFrom` (known dead). Otherwise
   * says who holds it until when. Never claimed once the execution has ended (a stale run
   * must not dispatch): the store deletes an execution's dispatch claims when it ends.
   */
  claimDispatch(executionId: string, operationId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<DispatchClaim>;
  /** Finds the execution and operation a callback id belongs to. */
  findCallback(callbackId: string): Promise<{ executionId: string; operationId: string } | undefined>;
  /**
   * Optional: calls `listener` when another process has made work a worker may claim (a new
   * execution, a signal, a released lease), so it need not wait for its next poll (PostgreSQL's
   * LISTEN/NOTIFY). Returns the unsubscribe. Workers poll whether or not a store has it.
   */
  subscribeWakeUps?(listener: () => void): () => void;
  close(): Promise<void>;
}
