import type { ContextScope } from "../context-scope.js";
import { asError, sourcePositionOf } from "../context-scope.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { errorToObject, WaitForConditionError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { DurableLogger, WaitForConditionCheckFunc, WaitForConditionConfig } from "../types.js";

/**
 * Polls a check function: one attempt per invocation, the state carried in the record,
 * the wait strategy choosing the delay. Recorded as a STEP, as on AWS.
 */
export function waitForCondition<T>(
  scope: ContextScope,
  name: string | undefined,
  check: WaitForConditionCheckFunc<T, DurableLogger>,
  config: WaitForConditionConfig<T>,
): DurablePromise<T> {
  const kind = { type: "STEP", subType: OperationSubType.WAIT_FOR_CONDITION, name, sourcePosition: sourcePositionOf(config, check) } as const;
  const { ready } = scope.cursor.claim(kind);
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const { invocation } = scope;
    const serdes = config.serdes ?? scope.defaultSerdes;
    if (record?.Status === "SUCCEEDED") return scope.deserialize<T>(serdes, record.StepDetails?.Result, record);
    if (record?.Status === "FAILED") {
      const e = record.StepDetails?.Error;
      const cause = new Error(e?.ErrorMessage);
      cause.name = e?.ErrorType ?? "Error";
      throw new WaitForConditionError(e?.ErrorMessage, cause, e?.ErrorData);
    }
    if (record && (record.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0) > invocation.clock() && record.Status !== "READY") return invocation.suspend();
    if (invocation.mode === "verify") return invocation.suspend();

    const base: OperationRecord = {
      Id: id,
      ParentId: scope.parentId,
      Name: name,
      Type: "STEP",
      SubType: kind.subType,
      Status: "STARTED",
      StartTimestamp: record?.StartTimestamp ?? scope.now(),
      SourcePosition: kind.sourcePosition,
    };
    const state = record ? await scope.deserialize<T>(serdes, record.StepDetails?.Result, record) : config.initialState;
    const attempt = (record?.StepDetails?.Attempt ?? 0) + 1;
    let next: T;
    let decision;
    try {
      next = await invocation.track(() => check(state, { logger: scope.logger({ operationId: id, operationName: name, attempt }, true), attempt }));
      decision = config.waitStrategy(next, attempt);
    } catch (error) {
      await scope.write({ ...base, Status: "FAILED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Error: errorToObject(error) } });
      const cause = asError(error);
      throw new WaitForConditionError(cause.message, cause);
    }
    const result = await scope.serialize(serdes, next, base);
    if (!decision.shouldContinue) {
      await scope.write({ ...base, Status: "SUCCEEDED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Result: result } });
      return scope.deserialize<T>(serdes, result, base);
    }
    const nextAttempt = new Date(invocation.clock() + durationToSeconds(decision.delay) * 1000);
    await scope.write({ ...base, Status: "PENDING", StepDetails: { Attempt: attempt, Result: result, NextAttemptTimestamp: nextAttempt } });
    return invocation.suspend();
  });
}
