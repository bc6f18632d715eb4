import type { OperationRecord } from "../runtime/operation-model.js";
import type { ExecutionRow, ExecutionStatus } from "./store.js";

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
