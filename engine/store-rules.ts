import type { OperationRecord } from "../runtime/operation-model.js";
import { callbackDeadline } from "./execution-state.js";
import type { CallbackOutcome, CommitBatch, DispatchClaim, ExecutionRow, ExecutionStatus, Signal } from "./store.js";

// Rules both stores apply the same way; SqliteStore expresses them in SQL as well, and
// the store tests run one suite against both.

export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  functionName?: string | undefined;
  limit?: number | undefined;
  /** Started at or after / before this time (ms since epoch). */
  createdFrom?: number | undefined;
  createdBefore?: number | undefined;
  /** Text the id or the function name contains (case-insensitive). */
  text?: string | undefined;
  /** Keyset paging: only the executions after this one in the list's order (newest first, then by id). */
  after?: { createdAt: number; executionId: string } | undefined;
}

export function matchesFilter(row: ExecutionRow, filter: ExecutionFilter): boolean {
  const text = filter.text?.toLowerCase();
  const after = filter.after;
  return (
    (filter.status === undefined || row.status === filter.status) &&
    (filter.functionName === undefined || row.functionName === filter.functionName) &&
    (filter.createdFrom === undefined || row.createdAt >= filter.createdFrom) &&
    (filter.createdBefore === undefined || row.createdAt < filter.createdBefore) &&
    (text === undefined || row.executionId.toLowerCase().includes(text) || row.functionName.toLowerCase().includes(text)) &&
    (after === undefined || row.createdAt < after.createdAt || (row.createdAt === after.createdAt && row.executionId > after.executionId))
  );
}

/** Runnable now: still running, its wake-up time has come, and no live lease holds it. */
export function isDue(row: ExecutionRow, leaseExpiresAt: number | undefined, now: number): boolean {
  return row.status === "RUNNING" && row.nextWakeAt !== undefined && row.nextWakeAt <= now && (leaseExpiresAt === undefined || leaseExpiresAt <= now);
}

export function callbackIdsOf(record: OperationRecord): string[] {
  const id = record.Type === "CALLBACK" ? record.CallbackDetails?.CallbackId : undefined;
  return id ? [id] : [];
}

/**
 * Why a callback signal committed at `at` is refused, or undefined when the callback still
 * waits. The rule: a completion counts iff it is committed before the callback's deadline
 * (the worker applies pending signals before it fires timeouts, so both agree).
 */
export function callbackRefusal(status: ExecutionStatus | undefined, record: OperationRecord | undefined, pending: readonly Signal[], outcome: CallbackOutcome, at: number): string | undefined {
  if (status === undefined || !record) return "its execution is gone";
  if (status !== "RUNNING") return `its execution has ended (${status})`;
  if (record.Status !== "STARTED") return `it has already ${record.Status === "TIMED_OUT" ? "timed out" : `ended (${record.Status})`}`;
  const mine = pending.filter((s) => s.operationId === record.Id);
  if (mine.some((s) => s.outcome.kind !== "callback-heartbeat")) return "it has already been completed by another sender";
  const heartbeats = mine.map((s) => s.at);
  const deadline = callbackDeadline(record, heartbeats.length ? Math.max(...heartbeats) : undefined);
  if (deadline && at >= deadline.at) {
    const what = outcome.kind === "callback-heartbeat" ? "heartbeat" : "completion";
    return `it timed out at ${new Date(deadline.at).toISOString()} (${deadline.kind === "heartbeat" ? "no heartbeat in time" : "its timeout"}), before this ${what} arrived`;
  }
  return undefined;
}

/**
 * Whether a commit ends the run of expired leases leaseLength counts: one of its steps
 * finished (succeeded or failed for good). A release does not: an interrupted at-most-once
 * attempt is retried after a delay, so the worker that took the execution over releases it,
 * and the retry's claim must keep the longer lease, or two workers take a step that blocks
 * longer than the base lease from each other forever.
 */
export function endsExpiredLeases(batch: CommitBatch): boolean {
  return batch.operations.some((r) => r.Type === "STEP" && (r.Status === "SUCCEEDED" || r.Status === "FAILED"));
}

/** The answer to a dispatch claim of an execution that is gone or has ended: nothing to run. */
export function endedDispatch(now: number): DispatchClaim {
  return { claimed: false, owner: "(execution ended)", expiresAt: now };
}

/** Whether a commit ends its execution: its dispatch claims are deleted with it. */
export function endsExecution(batch: CommitBatch): boolean {
  return batch.execution?.status !== undefined && batch.execution.status !== "RUNNING";
}
