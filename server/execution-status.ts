// An execution's status as Lambda names it. The store keeps RUNNING, SUCCEEDED or FAILED; an
// execution that was stopped (StopDurableExecution, the console's stop) or timed out (serve's
// ExecutionTimeout) is FAILED there, with its EXECUTION operation STOPPED or TIMED_OUT. The
// Lambda API and the console both show it as Lambda does.
import type { EngineStore, ExecutionRow } from "../engine/store.js";

export type LambdaExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";

export async function lambdaStatusOf(store: Pick<EngineStore, "loadOperations">, execution: ExecutionRow): Promise<LambdaExecutionStatus> {
  if (execution.status !== "FAILED") return execution.status;
  const record = (await store.loadOperations(execution.executionId)).find((r) => r.Type === "EXECUTION");
  return record?.Status === "STOPPED" || record?.Status === "TIMED_OUT" ? record.Status : "FAILED";
}
