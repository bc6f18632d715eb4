import type { ContextScope } from "../context-scope.js";
import { sourcePositionOf } from "../context-scope.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { Duration } from "../types.js";

export function wait(scope: ContextScope, name: string | undefined, duration: Duration): DurablePromise<void> {
  const kind = { type: "WAIT", subType: OperationSubType.WAIT, name, sourcePosition: sourcePositionOf(duration) } as const;
  const { ready } = scope.cursor.claim(kind);
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    if (record) return waitFrom(scope, record);
    const seconds = durationToSeconds(duration);
    const start = scope.now();
    const started: OperationRecord = {
      Id: id,
      ParentId: scope.parentId,
      Name: name,
      Type: "WAIT",
      SubType: OperationSubType.WAIT,
      Status: "STARTED",
      StartTimestamp: start,
      WaitDetails: { ScheduledEndTimestamp: new Date(start.getTime() + seconds * 1000) },
      WaitOptions: { WaitSeconds: seconds },
      SourcePosition: kind.sourcePosition,
    };
    await scope.write(started);
    // A new wait always suspends, even one of zero seconds: the host completes it.
    return scope.invocation.suspend(id, (current) => waitFrom(scope, current));
  });
}

/** A recorded wait: done, due (completed here), or suspended until its record changes. */
function waitFrom(scope: ContextScope, record: OperationRecord): Promise<void> | undefined {
  const { invocation } = scope;
  if (record.Status === "SUCCEEDED") return;
  const end = record.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0;
  if (end > invocation.clock() || invocation.mode === "verify") {
    return invocation.suspend(record.Id, (current) => waitFrom(scope, current));
  }
  // The time has come and the host has not marked it yet: complete it here.
  return scope.write({ ...record, Status: "SUCCEEDED", EndTimestamp: scope.now() });
}
