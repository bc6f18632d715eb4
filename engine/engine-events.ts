import type { OperationRecord } from "../runtime/operation-model.js";
import type { ExecutionRow } from "./store.js";

/** What the engine reports as it works; the CLI's live timeline is drawn from these. */
export type EngineEvent =
  | { type: "execution-started"; execution: ExecutionRow }
  | { type: "operation"; executionId: string; record: OperationRecord; invocation: number }
  | { type: "invocation-started"; executionId: string; invocation: number; warm: boolean }
  | { type: "invocation-ended"; executionId: string; invocation: number; status: "SUCCEEDED" | "FAILED" | "PENDING" }
  | { type: "execution-ended"; execution: ExecutionRow }
  | { type: "worker-error"; executionId?: string; error: unknown }
  /**
   * This worker stopped an invocation because its claim may have expired: a lease's length
   * passed without a renewal (its event loop was blocked or starved). Nothing more of that
   * invocation starts or commits; the execution goes on under a new claim.
   */
  | { type: "claim-expired"; executionId: string; epoch: number }
  /**
   * A plain function this worker runs for an invoke lost its dispatch claim (a renewal, or the
   * check when it ended, found the claim taken by another worker or the execution ended, after
   * this process stalled past the lease): another worker may have run it too; the first
   * outcome stored is the one the execution gets.
   */
  | { type: "dispatch-claim-lost"; executionId: string; operationId: string };

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
