// An execution's status as Lambda names it. The store keeps RUNNING, SUCCEEDED or FAILED; an
// execution that was stopped (the engine's stopExecution: StopDurableExecution, the console's
// stop) or timed out (serve's ExecutionTimeout) is FAILED there, with its EXECUTION operation
// STOPPED or TIMED_OUT. The Lambda API, the console and the CLI all show it as Lambda does.
import type { OperationRecord } from "../runtime/operation-model.js";
import type { EngineStore, ExecutionRow } from "./store.js";
import type { ExecutionFilter } from "./store-rules.js";

export type LambdaExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";

/** An ExecutionFilter on the status as Lambda names it. */
export type LambdaExecutionFilter = Omit<ExecutionFilter, "status"> & { status?: LambdaExecutionStatus | undefined };

/** Every status, in the order lists and messages name them. */
export const LAMBDA_EXECUTION_STATUSES: readonly LambdaExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

/** Reads the EXECUTION record of a FAILED execution only (one operation, not its history). */
export async function lambdaStatusOf(store: Pick<EngineStore, "loadOperation">, execution: ExecutionRow): Promise<LambdaExecutionStatus> {
  if (execution.status !== "FAILED") return execution.status;
  return lambdaStatus(execution, await store.loadOperation(execution.executionId, EXECUTION_RECORD_ID));
}

/** The same, from the execution's EXECUTION operation record at hand. */
export function lambdaStatus(execution: Pick<ExecutionRow, "status">, executionRecord: Pick<OperationRecord, "Status"> | undefined): LambdaExecutionStatus {
  if (execution.status !== "FAILED") return execution.status;
  return executionRecord?.Status === "STOPPED" || executionRecord?.Status === "TIMED_OUT" ? executionRecord.Status : "FAILED";
}

/** The operation id of every execution's EXECUTION record. */
export const EXECUTION_RECORD_ID = "execution";

/** The EXECUTION record an execution's first invocation writes. */
export function startedExecutionRecord(execution: Pick<ExecutionRow, "createdAt" | "input">): OperationRecord {
  return { Id: EXECUTION_RECORD_ID, Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(execution.createdAt), ExecutionDetails: { InputPayload: execution.input } };
}

/**
 * The EXECUTION record of an execution ended as STOPPED or TIMED_OUT: its own record with that
 * status, or, when no invocation has written one yet, the one the first would have written,
 * so that it shows as stopped or timed out everywhere.
 */
export function endedExecutionRecord(execution: ExecutionRow, record: OperationRecord | undefined, status: "STOPPED" | "TIMED_OUT", now: number): OperationRecord {
  return { ...(record ?? startedExecutionRecord(execution)), Status: status, EndTimestamp: new Date(now) };
}

/** FAILED rows read per query while looking for the FAILED, TIMED_OUT or STOPPED ones. */
const SCAN_PAGE = 200;

/**
 * The store's listExecutions, each row with its Lambda status, filtered on that status: FAILED
 * no longer includes the timed-out and stopped executions, which TIMED_OUT and STOPPED find.
 * Those three are FAILED rows in the store, read a page at a time until `limit` match.
 */
export async function listWithLambdaStatus(
  store: Pick<EngineStore, "listExecutions" | "loadOperation">,
  filter: LambdaExecutionFilter,
): Promise<Array<{ row: ExecutionRow; status: LambdaExecutionStatus }>> {
  const { status: wanted, limit, ...rest } = filter;
  if (wanted === undefined || wanted === "RUNNING" || wanted === "SUCCEEDED") {
    const rows = await store.listExecutions({ ...rest, status: wanted, limit });
    return Promise.all(rows.map(async (row) => ({ row, status: await lambdaStatusOf(store, row) })));
  }
  const found: Array<{ row: ExecutionRow; status: LambdaExecutionStatus }> = [];
  let after = rest.after;
  for (;;) {
    const page = await store.listExecutions({ ...rest, status: "FAILED", after, limit: SCAN_PAGE });
    for (const row of page) {
      if ((await lambdaStatusOf(store, row)) !== wanted) continue;
      found.push({ row, status: wanted });
      if (limit !== undefined && found.length >= limit) return found;
    }
    const last = page.at(-1);
    if (page.length < SCAN_PAGE || !last) return found;
    after = { createdAt: last.createdAt, executionId: last.executionId };
  }
}
