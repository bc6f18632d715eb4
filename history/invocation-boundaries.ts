// An execution's invocations as its history shows them (InvocationCompleted), from the rows
// the engine keeps. A row with no end that is not the invocation still running ended without
// the engine recording it: its process died, which AWS records as an InvocationCompleted with
// Runtime.ExitError, ending when its last checkpoint was committed. A host that saw how such an
// invocation ended (`serve` knows a worker's failure: a handler that failed to load, a crashed
// process) passes it in `knownEnds`, by request id.
import type { ErrorObject } from "../runtime/operation-model.js";
import type { InvocationBoundary } from "./aws-history.js";

/** How an invocation ended that the engine's row does not say. */
export interface InvocationEnd {
  endedAt: number;
  error: ErrorObject;
}

export function toBoundaries(
  rows: ReadonlyArray<Omit<InvocationBoundary, "error">>,
  updates: ReadonlyArray<{ at: number; invocation: number }>,
  execution: { status: string },
  knownEnds: (requestId: string) => InvocationEnd | undefined = () => undefined,
): InvocationBoundary[] {
  const sorted = [...rows].sort((a, b) => a.invocation - b.invocation);
  return sorted.map((row, i) => {
    const boundary: InvocationBoundary = { invocation: row.invocation, startedAt: row.startedAt, endedAt: row.endedAt, requestId: row.requestId, outcome: row.outcome };
    const known = row.requestId === undefined ? undefined : knownEnds(row.requestId);
    if (known) return { ...boundary, endedAt: row.endedAt ?? known.endedAt, error: known.error };
    const stillRunning = i === sorted.length - 1 && execution.status === "RUNNING";
    if (row.endedAt === undefined && !stillRunning) {
      boundary.endedAt = Math.max(row.startedAt, ...updates.filter((u) => u.invocation === row.invocation).map((u) => u.at));
      boundary.error = {
        ErrorType: "Runtime.ExitError",
        ErrorMessage: `RequestId: ${row.requestId ?? "unknown"} Error: Runtime exited without providing a reason`,
      };
    }
    return boundary;
  });
}
