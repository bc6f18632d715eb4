import type { ContextScope } from "../context-scope.js";
import { sourcePositionOf } from "../context-scope.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { OperationSubType } from "../operation-model.js";
import type { Duration } from "../types.js";

export function wait(scope: ContextScope, name: string | undefined, duration: Duration): DurablePromise<void> {
  const kind = { type: "WAIT", subType: OperationSubType.WAIT, name, sourcePosition: sourcePositionOf(duration) } as const;
  const { ready } = scope.cursor.claim(kind);
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const { invocation } = scope;
    if (record?.Status === "SUCCEEDED") return;
    if (record) {
      const end = record.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0;
      if (end > invocation.clock() || invocation.mode === "verify") return invocation.suspend();
      // The time has come and the host has not marked it yet: complete it here.
      await scope.write({ ...record, Status: "SUCCEEDED", EndTimestamp: scope.now() });
      return;
    }
    const seconds = durationToSeconds(duration);
    const start = scope.now();
    await scope.write({
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
    });
    return invocation.suspend();
  });
}
