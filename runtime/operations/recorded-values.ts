import type { ContextScope } from "../context-scope.js";
import { ReplayableSubType } from "../operation-model.js";

/**
 * context.now(): synchronous. The first execution reads the clock and queues the value
 * for the journal (the write queue makes it durable before any later checkpoint);
 * replays return the recorded value.
 */
export function recordedNow(scope: ContextScope): number {
  const { id, ready } = scope.cursor.claim({ type: "STEP", subType: ReplayableSubType.NOW, name: undefined });
  const recorded = scope.invocation.journal.get(id);
  if (recorded) return Number(JSON.parse(recorded.StepDetails?.Result ?? "0"));
  void ready; // a divergence found by the claim fails the invocation on its own
  const value = scope.invocation.clock();
  if (scope.invocation.mode === "execute") {
    const at = new Date(value);
    void scope.write({
      Id: id,
      ParentId: scope.parentId,
      Type: "STEP",
      SubType: ReplayableSubType.NOW,
      Status: "SUCCEEDED",
      StartTimestamp: at,
      EndTimestamp: at,
      StepDetails: { Attempt: 1, Result: JSON.stringify(value) },
    });
  }
  return value;
}

/**
 * context.patched(id), as Temporal's patched(): true when this execution runs the code
 * for the first time or recorded the patch before; false when replaying history that was
 * written by code without the patch.
 */
export function patched(scope: ContextScope, patchId: string): boolean {
  const journal = scope.invocation.journal;
  const id = `${scope.contextId === undefined ? "" : `${scope.contextId}/`}patch:${encodeURIComponent(patchId)}`;
  if (journal.get(id)) {
    journal.consume(id);
    return true;
  }
  if (scope.cursor.isReplaying) return false;
  const now = scope.now();
  void scope.write({
    Id: id,
    ParentId: scope.parentId,
    Name: patchId,
    Type: "STEP",
    SubType: ReplayableSubType.PATCH,
    Status: "SUCCEEDED",
    StartTimestamp: now,
    EndTimestamp: now,
  });
  return true;
}
