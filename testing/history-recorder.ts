import { buildHistory, type HistoryEvent, type InvocationBoundary, type OperationUpdate } from "../history/aws-history.js";
import type { ErrorObject, OperationRecord } from "../runtime/index.js";
import type { MemoryJournalStore } from "./memory-journal-store.js";

/**
 * Keeps every state the runner's journal went through, and which invocation wrote it, so a
 * TestResult can answer getHistoryEvents() in AWS's event vocabulary, as the official runner does.
 */
export class HistoryRecorder {
  private readonly updates: OperationUpdate[] = [];
  private readonly invocations: InvocationBoundary[] = [];
  /** The invocation the next update belongs to (1-based): between invocations, the next one. */
  private current = 1;

  constructor(
    store: MemoryJournalStore,
    private readonly clock: () => number,
  ) {
    store.onSave((record) => this.updates.push({ sequence: this.updates.length, at: clock(), invocation: this.current, record }));
  }

  invocationStarted(requestId: string): void {
    this.invocations.push({ invocation: this.current, startedAt: this.clock(), requestId });
  }

  invocationEnded(outcome: "SUCCEEDED" | "FAILED" | "PENDING"): void {
    const last = this.invocations[this.invocations.length - 1]!;
    last.endedAt = this.clock();
    last.outcome = outcome;
    this.current++;
  }

  /** The events of one operation so far (DurableOperation.getEvents()), as the official runner keeps them per operation. */
  operationEvents(execution: OperationRecord, operationId: string): HistoryEvent[] {
    return this.events(execution, "RUNNING", undefined, undefined).filter((e) => e.Id === operationId);
  }

  events(execution: OperationRecord, status: "RUNNING" | "SUCCEEDED" | "FAILED", result: string | undefined, error: ErrorObject | undefined): HistoryEvent[] {
    return buildHistory(
      {
        executionId: execution.Id,
        input: execution.ExecutionDetails?.InputPayload,
        status,
        result,
        error,
        createdAt: execution.StartTimestamp.getTime(),
        endedAt: execution.EndTimestamp?.getTime(),
      },
      this.updates,
      this.invocations,
    );
  }
}
