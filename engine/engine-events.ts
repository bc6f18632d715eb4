import type { OperationRecord } from "../runtime/operation-model.js";
import type { ExecutionRow } from "./store.js";

/** What the engine reports as it works; the CLI's live timeline is drawn from these. */
export type EngineEvent =
  | { type: "execution-started"; execution: ExecutionRow }
  | { type: "operation"; executionId: string; record: OperationRecord; invocation: number }
  | { type: "invocation-started"; executionId: string; invocation: number; warm: boolean }
  | { type: "invocation-ended"; executionId: string; invocation: number; status: "SUCCEEDED" | "FAILED" | "PENDING" }
  | { type: "execution-ended"; execution: ExecutionRow }
  | { type: "worker-error"; executionId?: string; error: unknown };

export class EngineEvents {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener that throws must not break the engine's work. */
  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // ignored on purpose: observers are not part of the execution
      }
    }
  }
}
