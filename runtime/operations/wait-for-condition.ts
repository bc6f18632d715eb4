import type { ContextScope } from "../context-scope.js";
import { asError, sourcePositionOf } from "../context-scope.js";
import { runInFrame } from "../context-usage.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { durableErrorFromObject, errorToObject, WaitForConditionError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { DurableLogger, WaitForConditionCheckFunc, WaitForConditionConfig } from "../types.js";

/**
 * Polls a check function: one attempt per round, the state carried in the record,
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
  const { invocation } = scope;
  // One check from the recorded state; suspended, it goes on from the state the host records next.
  const poll = async (id: string, record: OperationRecord | undefined): Promise<T> => {
    const suspend = () => invocation.suspend(id, (current) => poll(id, current));
    const serdes = config.serdes ?? scope.defaultSerdes;
    if (record?.Status === "SUCCEEDED") return scope.deserialize<T>(serdes, record.StepDetails?.Result, record);
    if (record?.Status === "FAILED") {
      // As the AWS SDK: the recorded error is rebuilt by its type (a plain Error becomes StepError).
      const e = record.StepDetails?.Error;
      throw e ? durableErrorFromObject(e) : new WaitForConditionError("waitForCondition failed");
    }
    if (record && (record.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0) > invocation.clock() && record.Status !== "READY") return suspend();
    if (invocation.mode === "verify") return suspend();

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
    const attempt = (record?.StepDetails?.Attempt ?? 0) + 1;
    // Record the start (keeping the carried state), as the AWS SDK does; deferred as a step's
    // (step.ts): a check that ends within the turn commits start and outcome together.
    if (record?.Status !== "STARTED") void scope.write({ ...base, ...(record?.StepDetails ? { StepDetails: record.StepDetails } : {}) }, { deferred: true });
    const hooks = invocation.plugins;
    if (hooks) await hooks.operationStart(base, record?.Status === "STARTED" || attempt > 1);
    // One piece of in-flight work from the check to its checkpoint (see step.ts).
    const outcome = await invocation.track(async (): Promise<{ done: true; state: T } | { done: false } | { failed: unknown }> => {
      const attemptInfo = hooks?.attemptInfo(base, attempt, scope.now());
      // The attempt's end, as the official SDK reports a check: its outcome, then the operation's end if it is over.
      const ended = async (record: OperationRecord, error?: unknown) => {
        if (!attemptInfo) return;
        await hooks!.attemptEnd(attemptInfo, record, error === undefined ? "SUCCEEDED" : "FAILED", scope.now(), error === undefined ? undefined : asError(error));
        if (record.Status !== "PENDING") await hooks!.operationEnd(record, false, error === undefined ? undefined : asError(error));
      };
      if (attemptInfo) await hooks!.attemptStart(attemptInfo);
      const state = record ? await scope.deserialize<T>(serdes, record.StepDetails?.Result, record) : config.initialState;
      let result: string | undefined;
      let next: T;
      let decision;
      try {
        const checkContext = { logger: scope.logger({ operationId: id, operationName: name, attempt }, true), attempt };
        // The check is step code, as on AWS: it must not call context methods (context-usage.ts).
        const description = `the check of waitForCondition${name !== undefined ? ` "${name}"` : ` (id ${id})`}`;
        const run = () => check(state, checkContext);
        const checked = await runInFrame({ kind: "step", id, description }, attemptInfo ? () => hooks!.wrapAttempt(attemptInfo, run) : run);
        result = await scope.serialize(serdes, checked, base);
        // The wait strategy sees the state as a replay would: through the serdes.
        next = await scope.deserialize<T>(serdes, result, base);
        decision = config.waitStrategy(next, attempt);
      } catch (error) {
        const failed: OperationRecord = { ...base, Status: "FAILED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Error: errorToObject(error) } };
        await scope.write(failed);
        await ended(failed, error);
        return { failed: error };
      }
      if (!decision.shouldContinue) {
        const succeeded: OperationRecord = { ...base, Status: "SUCCEEDED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Result: result } };
        await scope.write(succeeded);
        await ended(succeeded);
        return { done: true, state: next };
      }
      const nextAttempt = new Date(invocation.clock() + durationToSeconds(decision.delay) * 1000);
      const pending: OperationRecord = { ...base, Status: "PENDING", StepDetails: { Attempt: attempt, Result: result, NextAttemptTimestamp: nextAttempt } };
      await scope.write(pending);
      await ended(pending);
      return { done: false };
    });
    // A failed check surfaces as the AWS SDK surfaces it: rebuilt from its error object.
    if ("failed" in outcome) throw durableErrorFromObject(errorToObject(outcome.failed));
    if (outcome.done) return outcome.state;
    return suspend();
  };
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    return poll(id, record);
  });
}
