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
    if (record) return waitFrom(scope, record, false);
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
    if (scope.invocation.plugins) await scope.invocation.plugins.operationStart(started, false);
    // A new wait always suspends, even one of zero seconds: the host completes it.
    return scope.invocation.suspend(id, (current) => waitFrom(scope, current, true));
  });
}

/**
 * A recorded wait: done, due (completed here), or suspended until its record changes.
 * `resumed`: the record changed while this invocation waited on it (not met on replay).
 */
function waitFrom(scope: ContextScope, record: OperationRecord, resumed: boolean): Promise<void> | undefined {
  const { invocation } = scope;
  const hooks = invocation.plugins;
  if (hooks) return reportedWaitFrom(scope, record, resumed);
  if (record.Status === "SUCCEEDED") return;
  const end = record.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0;
  if (end > invocation.clock() || invocation.mode === "verify") {
    return invocation.suspend(record.Id, (current) => waitFrom(scope, current, true));
  }
  // The time has come and the host has not marked it yet: complete it here.
  return scope.write({ ...record, Status: "SUCCEEDED", EndTimestamp: scope.now() });
}

/** waitFrom with the plugins told, where the official SDK tells them. */
async function reportedWaitFrom(scope: ContextScope, record: OperationRecord, resumed: boolean): Promise<void> {
  const hooks = scope.invocation.plugins!;
  // A wait met done on replay is a replay, unless the host completed it just before this invocation.
  if (record.Status === "SUCCEEDED") return hooks.operationEnd(record, !resumed && !hooks.wasUpdated(record.Id));
  if (!resumed) await hooks.operationStart(record, true);
  const end = record.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0;
  if (end > scope.invocation.clock()) return scope.invocation.suspend(record.Id, (current) => reportedWaitFrom(scope, current, true));
  const succeeded: OperationRecord = { ...record, Status: "SUCCEEDED", EndTimestamp: scope.now() };
  await scope.write(succeeded);
  await hooks.operationEnd(succeeded, false);
}
