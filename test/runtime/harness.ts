import type { DurableExecutionHandler, DurableExecutionConfig, OperationRecord } from "../../runtime/index.js";
import { runInvocation } from "../../runtime/run-invocation.js";
import { MemoryJournalStore } from "../../testing/index.js";

/** A journal holding only the execution's input, as a host creates it. */
export function newExecution(payload: unknown = {}): MemoryJournalStore {
  const store = new MemoryJournalStore();
  store.save({ Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(0), ExecutionDetails: { InputPayload: JSON.stringify(payload) } });
  return store;
}

/** One invocation of a handler against a journal, at a fixed time. */
export function invokeOnce(handler: DurableExecutionHandler, store: MemoryJournalStore, now = 1_000_000, config?: DurableExecutionConfig) {
  return runInvocation({ handler, store, executionArn: "arn:test:execution/1", clock: () => now, config });
}

export const record = (store: MemoryJournalStore, id: string): OperationRecord | undefined => store.get(id);
