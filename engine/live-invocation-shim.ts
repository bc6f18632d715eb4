// TEMPORARY until runtime/run-invocation.ts exports startInvocation (warm resumption):
// a replay-only stand-in with the same shape. deliver() is never reached in replay mode.
import { runInvocation, type InvocationOutcome, type InvocationRequest } from "../runtime/run-invocation.js";
import type { OperationRecord } from "../runtime/operation-model.js";

export type { InvocationOutcome };
export interface LiveInvocation {
  next(): Promise<InvocationOutcome>;
  deliver(records: OperationRecord[]): void;
  close(): void;
}
export function startInvocation(request: InvocationRequest): LiveInvocation {
  let started = false;
  return {
    next: () => {
      if (started) throw new Error("shim: warm resumption not available yet");
      started = true;
      return runInvocation(request);
    },
    deliver: () => {
      throw new Error("shim: warm resumption not available yet");
    },
    close: () => undefined,
  };
}
