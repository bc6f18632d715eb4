import type { ContextScope } from "../context-scope.js";
import { asError, sourcePositionOf } from "../context-scope.js";
import { runInFrame } from "../context-usage.js";
import { durationToSeconds } from "../duration.js";
import { DurablePromise } from "../durable-promise.js";
import { durableErrorFromObject, errorToObject, StepInterruptedError } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { AttemptInfo } from "../plugin-types.js";
import type { OperationKind } from "../replay-cursor.js";
import { retryPresets } from "../retry-strategy.js";

/** Why an invocation stops before a step body: the engine then ends it as a lost lease. */
const CLAIM_EXPIRED = "This worker's claim on the execution expired before a step body could start (its event loop was blocked past the lease); another worker may run the execution now, so this invocation stops without running it.";
import { StepSemantics, type DurableLogger, type StepConfig, type StepFunc } from "../types.js";

/**
 * codeDescription names the body in a context usage error (default: the step itself); the
 * waitForCallback submitter, which runs as an unnamed step, passes its own.
 */
export function step<T>(
  scope: ContextScope,
  name: string | undefined,
  fn: StepFunc<T, DurableLogger>,
  config: StepConfig<T> | undefined,
  codeDescription?: string,
): DurablePromise<T> {
  const kind: OperationKind = { type: "STEP", subType: OperationSubType.STEP, name, sourcePosition: sourcePositionOf(config, fn) };
  const { ready } = scope.cursor.claim(kind);
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const description = codeDescription ?? (name !== undefined ? `step "${name}"` : `an unnamed step (id ${id})`);
    return new StepRun(scope, id, kind, fn, config, description).run(record);
  });
}

/** One step's attempts in this invocation (and, resumed warm, later ones), driven by its recorded state. */
class StepRun<T> {
  private readonly atMostOnce: boolean;
  constructor(
    private readonly scope: ContextScope,
    private readonly id: string,
    private readonly kind: OperationKind,
    private readonly fn: StepFunc<T, DurableLogger>,
    private readonly config: StepConfig<T> | undefined,
    private readonly description: string,
  ) {
    this.atMostOnce = config?.semantics === StepSemantics.AtMostOncePerRetry;
  }

  private get serdes() {
    return this.config?.serdes ?? this.scope.defaultSerdes;
  }

  private base(record: OperationRecord | undefined): OperationRecord {
    return {
      Id: this.id,
      ParentId: this.scope.parentId,
      Name: this.kind.name,
      Type: "STEP",
      SubType: this.kind.subType,
      Status: "STARTED",
      StartTimestamp: record?.StartTimestamp ?? this.scope.now(),
      SourcePosition: this.kind.sourcePosition,
    };
  }

  async run(record: OperationRecord | undefined): Promise<T> {
    const { invocation } = this.scope;
    const attemptsMade = record?.StepDetails?.Attempt ?? 0;
    switch (record?.Status) {
      case "SUCCEEDED":
        return this.scope.deserialize<T>(this.serdes, record.StepDetails?.Result, record);
      case "FAILED":
        throw durableErrorFromObject(record.StepDetails?.Error ?? {});
      case "PENDING":
      case "READY": {
        const due = record.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0;
        if (record.Status === "PENDING" && due > invocation.clock()) return this.suspend();
        break;
      }
      case "STARTED":
        if (this.atMostOnce && invocation.mode === "execute") {
          // The previous attempt began and never reported back: it may have run. The retry
          // strategy decides whether to try again.
          return this.afterFailure(record, attemptsMade + 1, new StepInterruptedError(this.id, this.kind.name));
        }
        break;
    }
    // The replay check re-runs orchestration code only; a step body never runs twice for it.
    if (invocation.mode === "verify") return this.suspend();
    return this.attempt(record, attemptsMade + 1);
  }

  private async attempt(record: OperationRecord | undefined, attempt: number): Promise<T> {
    const { scope } = this;
    const started: OperationRecord = { ...this.base(record), StepDetails: { Attempt: attempt - 1 } };
    // Both semantics record the start, as the AWS SDK does (so operations list in start order);
    // only at-most-once waits for it to be durable before running the body. At-least-once
    // defers it: a body that ends within the event loop's turn commits start and result together.
    if (this.atMostOnce) await scope.write(started);
    else if (record?.Status !== "STARTED") void scope.write(started, { deferred: true });
    const hooks = scope.invocation.plugins;
    // As the official SDK: a retry, or a start recorded before, is reported as a replay.
    if (hooks) await hooks.operationStart(started, record?.Status === "STARTED" || attempt > 1);
    // From the body's start to its checkpoint, one piece of in-flight work: the invocation
    // cannot be declared suspended between the body and its (possibly slow) serdes.
    const outcome = await scope.invocation.track(async (): Promise<{ ok: true; value: T } | { ok: false; error: unknown; attemptInfo?: AttemptInfo }> => {
      const attemptInfo = hooks?.attemptInfo(started, attempt, scope.now());
      if (attemptInfo) await hooks!.attemptStart(attemptInfo);
      let value: T;
      try {
        // The body runs as step code: a context method it calls fails the execution (context-usage.ts).
        const stepContext = { logger: scope.logger({ operationId: this.id, operationName: this.kind.name, attempt }, true), attempt };
        // Checked in the same synchronous stretch as the body's start: a worker whose claim
        // expired while its event loop was blocked must not run a body another worker may run.
        const body = () => (scope.invocation.journal.holdsClaim() ? this.fn(stepContext) : scope.invocation.fail(new Error(CLAIM_EXPIRED)));
        value = await runInFrame({ kind: "step", id: this.id, description: this.description }, attemptInfo ? () => hooks!.wrapAttempt(attemptInfo, body) : body);
      } catch (error) {
        return { ok: false, error, attemptInfo };
      }
      const result = await scope.serialize(this.serdes, value, started);
      const succeeded: OperationRecord = { ...started, Status: "SUCCEEDED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Result: result } };
      await scope.write(succeeded);
      if (attemptInfo) {
        await hooks!.attemptEnd(attemptInfo, succeeded, "SUCCEEDED", scope.now());
        await hooks!.operationEnd(succeeded, false);
      }
      return { ok: true, value: await scope.deserialize<T>(this.serdes, result, succeeded) };
    });
    if (!outcome.ok) return this.afterFailure(started, attempt, outcome.error, outcome.attemptInfo);
    return outcome.value;
  }

  /** attemptInfo: the attempt that failed, for the plugins (none when a start was interrupted). */
  private async afterFailure(record: OperationRecord | undefined, attempt: number, error: unknown, attemptInfo?: AttemptInfo): Promise<T> {
    const { scope } = this;
    const hooks = attemptInfo && scope.invocation.plugins;
    const strategy = this.config?.retryStrategy ?? retryPresets.default;
    const decision = strategy(asError(error), attempt);
    const errorObject = errorToObject(error);
    if (!decision.shouldRetry) {
      const failed: OperationRecord = { ...this.base(record), Status: "FAILED", EndTimestamp: scope.now(), StepDetails: { Attempt: attempt, Error: errorObject } };
      await scope.write(failed);
      if (hooks) {
        await hooks.attemptEnd(attemptInfo!, failed, "FAILED", scope.now(), asError(error));
        await hooks.operationEnd(failed, false, asError(error));
      }
      throw durableErrorFromObject(errorObject);
    }
    const delaySeconds = decision.delay ? durationToSeconds(decision.delay) : 1;
    const pending: OperationRecord = {
      ...this.base(record),
      Status: "PENDING",
      StepDetails: { Attempt: attempt, Error: errorObject, NextAttemptTimestamp: new Date(scope.invocation.clock() + delaySeconds * 1000) },
    };
    await scope.write(pending);
    if (hooks) await hooks.attemptEnd(attemptInfo!, pending, "FAILED", scope.now(), asError(error));
    return this.suspend();
  }

  /** Waits for the host to record a new state (READY when the retry is due), then goes on from it. */
  private suspend(): Promise<T> {
    return this.scope.invocation.suspend(this.id, (current) => this.run(current));
  }
}
