import type { OperationRecord } from "../runtime/operation-model.js";
import type { ExecutionRow, ExecutionStatus } from "./store.js";

// Rules both stores apply the same way; SqliteStore expresses them in SQL as well, and
// the store tests run one suite against both.

export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  functionName?: string | undefined;
  limit?: number | undefined;
}

export function matchesFilter(row: ExecutionRow, filter: ExecutionFilter): boolean {
  return (filter.status === undefined || row.status === filter.status) && (filter.functionName === undefined || row.functionName === filter.functionName);
}

/** Runnable now: still running, its wake-up time has come, and no live lease holds it. */
export function isDue(row: ExecutionRow, leaseExpiresAt: number | undefined, now: number): boolean {
  return row.status === "RUNNING" && row.nextWakeAt !== undefined && row.nextWakeAt <= now && (leaseExpiresAt === undefined || leaseExpiresAt <= now);
}

export function callbackIdsOf(record: OperationRecord): string[] {
  const id = record.Type === "CALLBACK" ? record.CallbackDetails?.CallbackId : undefined;
  return id ? [id] : [];
}
