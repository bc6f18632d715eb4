import { randomUUID } from "node:crypto";
import type { HistoryEvent } from "../history/aws-history.js";
import type { DurableExecutionConfig, DurableExecutionHandler, ErrorObject, LambdaContext, OperationRecord } from "../runtime/index.js";
import { errorToObject } from "../runtime/errors.js";
import { localLambdaContext } from "../runtime/lambda-context.js";
import { isTerminalStatus } from "../runtime/operation-model.js";
import { runInvocation, startInvocation, type InvocationOutcome, type InvocationRequest } from "../runtime/run-invocation.js";
import { durableHandlerOf } from "../runtime/with-durable-execution.js";
import { MemoryJournalStore } from "./memory-journal-store.js";
import type { DurableTestRunner } from "./durable-test-runner.js";
import { CallbackTimers } from "./callback-timers.js";
import { HistoryRecorder } from "./history-recorder.js";
import { DurableOperationView, type OperationHost } from "./operation-view.js";
import { checkReplay } from "./replay-check.js";
import { TestResult, type Invocation } from "./test-result.js";
import { VirtualClock } from "./virtual-clock.js";

export interface LocalDurableTestRunnerParameters {
  /** A function returned by replayable's withDurableExecution. */
  handlerFunction: unknown;
  /** Virtual time (default, unless setupTestEnvironment({ skipTime: false })): waits, retry delays and timeouts complete at once, in order. */
  time?: "virtual" | "real";
  /** After every invocation, replay the handler with the clock shifted and compare (default true). */
  replayCheck?: boolean;
  /** Where virtual time starts (ms since epoch); defaults to the real time at run(). */
  startTime?: number;
  /** Upper bound on invocations of one execution, to stop handlers that never settle. */
  maxInvocations?: number;
  /** Overrides for the Lambda context each invocation receives (awsRequestId is fresh per invocation). */
  lambdaContext?: Partial<Omit<LambdaContext, "awsRequestId">>;
  /**
   * How the handler goes on after it suspends (default "replay"): "replay" runs a new
   * invocation from the handler's first line, as Lambda does; "warm" keeps the suspended
   * handler in memory and resumes it, as the local engine does while its process lives
   * (each round still counts as an invocation, with one request id). The replay check runs
   * after every round either way.
   */
  resumption?: "replay" | "warm";
}

/** As the official runner's setupTestEnvironment: skipTime false runs every later runner on real time. */
export interface LocalDurableTestRunnerSetupParameters {
  skipTime?: boolean;
  /** Accepted for compatibility: replayable checkpoints synchronously, in memory. */
  checkpointDelay?: number;
}

type LambdaHandler = (event: any, context: any) => Promise<unknown> | unknown;

let executionCounter = 0;
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a durable handler in-process, invocation after invocation (or, with resumption
 * "warm", one live invocation resumed round after round), against an in-memory journal:
 * no servers, no worker threads. Same shape as the AWS testing SDK's runner.
 */
export class LocalDurableTestRunner<TResult = any> implements OperationHost, DurableTestRunner<DurableOperationView, TResult> {
  private readonly handler: DurableExecutionHandler;
  private readonly config: DurableExecutionConfig | undefined;
  private readonly functions = new Map<string, { durable: true; handler: unknown } | { durable: false; handler: LambdaHandler }>();
  private store = new MemoryJournalStore();
  private waiters: Array<{ ready: () => boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  private wake: (() => void) | undefined;
  // Callback results arrive while an invocation may be running; like the AWS service, the
  // runner applies them between invocations so each invocation sees one consistent journal.
  private externalEvents: Array<() => void> = [];
  private clock: VirtualClock;
  private callbackTimers: CallbackTimers;
  /** The run in progress; reset() abandons it (its run() rejects, already marked handled). */
  private current: { abandoned: boolean; result: Promise<unknown> } | undefined;
  private history: HistoryRecorder | undefined;

  constructor(private readonly params: LocalDurableTestRunnerParameters) {
    const registered = durableHandlerOf(params.handlerFunction);
    if (!registered) throw new Error("LocalDurableTestRunner needs a handler wrapped with withDurableExecution from replayable");
    this.handler = registered.handler;
    this.config = registered.config;
    this.clock = this.newClock();
    this.callbackTimers = new CallbackTimers(this.clock);
  }

  private newClock(): VirtualClock {
    return new VirtualClock((this.params.time ?? LocalDurableTestRunner.defaultTime) !== "real", this.params.startTime);
  }

  /** Set by setupTestEnvironment: the time of runners that do not choose one. */
  private static defaultTime: "virtual" | "real" = "virtual";

  /** For code written against the AWS testing SDK; replayable needs no global setup beyond the choice of time. */
  static async setupTestEnvironment(params?: LocalDurableTestRunnerSetupParameters): Promise<void> {
    LocalDurableTestRunner.defaultTime = params?.skipTime === false ? "real" : "virtual";
  }
  static async teardownTestEnvironment(): Promise<void> {
    LocalDurableTestRunner.defaultTime = "virtual";
  }

  registerDurableFunction(functionName: string, durableHandler: unknown): this {
    this.functions.set(functionName, { durable: true, handler: durableHandler });
    return this;
  }
  registerFunction(functionName: string, handler: LambdaHandler): this {
    this.functions.set(functionName, { durable: false, handler });
    return this;
  }

  /**
   * Forgets the last execution. A run() still in progress is abandoned: it stops at its next
   * step between invocations and rejects saying so (a rejection nobody awaiting it sees as
   * unhandled), and the runner is free for the next run().
   */
  reset(): void {
    if (this.current) {
      this.current.abandoned = true;
      this.current.result.catch(() => undefined);
      this.current = undefined;
      this.wake?.();
    }
    this.store = new MemoryJournalStore();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("The runner was reset before the operation reached the awaited state"));
    this.externalEvents = [];
    this.callbackTimers = new CallbackTimers(this.clock);
  }

  getOperation<T = any>(name: string, index = 0): DurableOperationView<T> {
    return new DurableOperationView<T>(this, () => this.operations().filter((r) => r.Name === name)[index]);
  }
  getOperationByNameAndIndex<T = any>(name: string, index: number): DurableOperationView<T> {
    return this.getOperation<T>(name, index);
  }
  getOperationByIndex<T = any>(index: number): DurableOperationView<T> {
    return new DurableOperationView<T>(this, () => this.operations()[index]);
  }
  getOperationById<T = any>(id: string): DurableOperationView<T> {
    return new DurableOperationView<T>(this, () => this.store.get(id));
  }

  run(params?: { payload?: unknown }): Promise<TestResult<TResult>> {
    if (this.current) return Promise.reject(new Error("This runner is already running an execution; await its run() or call reset() first"));
    this.reset();
    const current = { abandoned: false, result: undefined as unknown as Promise<unknown> };
    const result = this.start(params, current);
    current.result = result;
    this.current = current;
    return result;
  }

  private async start(params: { payload?: unknown } | undefined, current: { abandoned: boolean }): Promise<TestResult<TResult>> {
    await Promise.resolve(); // run() registers the run before it starts
    this.clock = this.newClock();
    const callbackTimers = (this.callbackTimers = new CallbackTimers(this.clock));
    this.store.onSave((record) => {
      callbackTimers.observe(record);
      this.notifyWaiters();
    });
    this.history = new HistoryRecorder(this.store, () => this.clock.now());
    const executionArn = `arn:replayable:local:execution/${++executionCounter}`;
    const start = new Date(this.clock.now());
    this.store.save({
      Id: "execution",
      Type: "EXECUTION",
      Status: "STARTED",
      StartTimestamp: start,
      // As the official runner: no payload is {}, an explicit null stays null.
      ExecutionDetails: { InputPayload: params?.payload === undefined ? "{}" : JSON.stringify(params.payload) },
    });
    try {
      return await this.drive(executionArn, current);
    } finally {
      if (!current.abandoned) {
        this.current = undefined;
        for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("The execution completed without reaching the awaited operation state"));
      }
    }
  }

  private checkNotAbandoned(current: { abandoned: boolean }): void {
    if (current.abandoned) throw new Error("LocalDurableTestRunner.reset() was called while this run() was in progress; the run was abandoned");
  }

  private async drive(executionArn: string, current: { abandoned: boolean }): Promise<TestResult<TResult>> {
    const invocations: Invocation[] = [];
    const max = this.params.maxInvocations ?? 10_000;
    const request = (lambdaContext: LambdaContext): InvocationRequest => ({
      handler: this.handler,
      config: this.config,
      executionArn,
      store: this.store,
      clock: () => this.clock.now(),
      lambdaContext,
      requestId: lambdaContext.awsRequestId,
      forceCheckpoint: () => this.forceCheckpoint(current),
    });
    // Warm: one live invocation, so one Lambda context, for every round.
    const warmContext = this.params.resumption === "warm" ? this.lambdaContext() : undefined;
    const live = warmContext && startInvocation(request(warmContext));
    let delivered: OperationRecord[] = [];
    try {
      for (let index = 0; index < max; index++) {
        const startTimestamp = new Date(this.clock.now());
        const lambdaContext = warmContext ?? this.lambdaContext();
        if (live && index > 0) live.deliver(delivered);
        this.history!.invocationStarted(lambdaContext.awsRequestId);
        const outcome = live ? await live.next() : await runInvocation(request(lambdaContext));
        this.history!.invocationEnded(outcome.status);
        this.checkNotAbandoned(current);
        invocations.push({
          startTimestamp,
          endTimestamp: new Date(this.clock.now()),
          requestId: lambdaContext.awsRequestId,
          error: outcome.status === "FAILED" ? { errorMessage: outcome.error.ErrorMessage, errorType: outcome.error.ErrorType, errorData: outcome.error.ErrorData, stackTrace: undefined } : undefined,
        });
        // A run failed for misusing a context is not checked: its error may come from step code,
        // which the replay check never runs.
        if (this.params.replayCheck !== false && !(outcome.status === "FAILED" && (outcome.nonDeterministic || outcome.contextUsage))) {
          await checkReplay({
            handler: this.handler,
            config: this.config,
            executionArn,
            store: this.store,
            clock: () => this.clock.now(),
            original: outcome,
            invocationIndex: index,
            lambdaContext: this.lambdaContext(),
          });
        }
        if (outcome.status !== "PENDING") return this.complete(outcome, invocations);
        const before = live ? this.snapshot() : undefined;
        await this.advance(current);
        if (before) delivered = this.changedSince(before);
      }
    } finally {
      live?.close();
    }
    throw new Error(`The execution did not complete within ${max} invocations`);
  }

  /** A fresh Lambda-like context per invocation, as Lambda gives each invocation its own request id. */
  private lambdaContext(): LambdaContext {
    const clock = () => this.clock.now();
    return { ...localLambdaContext({ awsRequestId: randomUUID(), functionName: this.params.lambdaContext?.functionName, clock }), ...this.params.lambdaContext };
  }

  private complete(outcome: Exclude<InvocationOutcome, { status: "PENDING" }>, invocations: Invocation[]): TestResult<TResult> {
    const execution = this.store.get("execution")!;
    const ended = { ...execution, Status: outcome.status, EndTimestamp: new Date(this.clock.now()) };
    this.store.save(ended);
    const history = this.history!;
    const result = outcome.status === "SUCCEEDED" ? outcome.result : undefined;
    const error = outcome.status === "FAILED" ? outcome.error : undefined;
    return new TestResult<TResult>(
      this,
      outcome.status,
      result,
      error,
      invocations,
      outcome.unconsumed,
      () => history.events(ended, outcome.status, result, error),
    );
  }

  /**
   * Between invocations: run chained invokes, deliver callbacks, or move time forward, until
   * something changed that the next invocation must see. Waits and retries move on the
   * runner's clock (skipped when virtual); callback timeouts run on real time (CallbackTimers).
   */
  private async advance(current: { abandoned: boolean }): Promise<void> {
    if (await this.runChainedInvokes()) return;
    for (;;) {
      // Give test code reacting to waitForData() a chance to send callbacks first.
      await nextMacrotask();
      await nextMacrotask();
      this.checkNotAbandoned(current);
      if (this.consumeExternalEvents() || this.expireCallbacks()) return;
      const due = this.nextDueTime();
      if (due !== undefined && this.clock.virtual) {
        this.clock.advanceTo(due);
        if (this.fireTimers() || this.expireCallbacks()) return;
        continue;
      }
      const pending = this.pendingCallbacks();
      if (due === undefined && pending.length === 0) {
        throw new Error("The execution is suspended but nothing can wake it: no wait, retry, callback or invoke is pending");
      }
      const delays = [due === undefined ? undefined : due - this.clock.now(), this.callbackTimers.nextRealDelay(pending)].filter((d): d is number => d !== undefined);
      await this.sleep(delays.length ? Math.max(0, Math.min(...delays)) : undefined);
      this.checkNotAbandoned(current);
      if (this.consumeExternalEvents() || this.expireCallbacks() || this.fireTimers()) return;
    }
  }

  /**
   * Called by a running invocation whose awaits wait while other work still runs (the official
   * SDK's force checkpointing): does what advance() would between invocations, without
   * sleeping, and returns the records that changed.
   */
  private async forceCheckpoint(current: { abandoned: boolean }): Promise<OperationRecord[]> {
    if (current.abandoned) return [];
    const before = this.snapshot();
    await this.runChainedInvokes();
    this.consumeExternalEvents();
    const due = this.nextDueTime();
    if (due !== undefined && this.clock.virtual) this.clock.advanceTo(due);
    this.fireTimers();
    this.expireCallbacks();
    return this.changedSince(before);
  }

  private snapshot(): Map<string, OperationRecord> {
    return new Map(this.store.load().map((r) => [r.Id, r]));
  }
  /** What the runner recorded since the snapshot (the store keeps a record object until it is replaced). */
  private changedSince(before: Map<string, OperationRecord>): OperationRecord[] {
    return this.store.load().filter((r) => r.Type !== "EXECUTION" && before.get(r.Id) !== r);
  }

  /** Sleeps for delay ms of real time (forever when undefined) or until an external event wakes the runner. */
  private sleep(delay: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = delay === undefined ? undefined : setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private consumeExternalEvents(): boolean {
    const events = this.externalEvents.splice(0);
    for (const apply of events) apply();
    this.wake = undefined;
    return events.length > 0;
  }

  private pendingCallbacks(): OperationRecord[] {
    return this.operations().filter((r) => r.Type === "CALLBACK" && r.Status === "STARTED");
  }

  /** Times out the callbacks whose (real-time) timeout or heartbeat timeout has passed, as the official runner words it. */
  private expireCallbacks(): boolean {
    const expired = this.callbackTimers.expired(this.pendingCallbacks());
    for (const { record, message } of expired) {
      this.store.save({ ...record, Status: "TIMED_OUT", EndTimestamp: new Date(this.clock.now()), CallbackDetails: { ...record.CallbackDetails, Error: { ErrorMessage: message } } });
    }
    return expired.length > 0;
  }

  /** The next time a wait ends, a retry comes due or a callback nobody holds times out, on the runner's clock. */
  private nextDueTime(): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    for (const r of this.operations()) {
      if (r.Type === "WAIT" && r.Status === "STARTED") consider(r.WaitDetails?.ScheduledEndTimestamp?.getTime());
      if (r.Type === "STEP" && r.Status === "PENDING") consider(r.StepDetails?.NextAttemptTimestamp?.getTime());
    }
    consider(this.callbackTimers.nextVirtualDeadline(this.pendingCallbacks()));
    return next;
  }

  /** Marks the waits and retries the clock has reached, as the AWS service would. */
  private fireTimers(): boolean {
    const now = this.clock.now();
    let fired = false;
    for (const r of this.operations()) {
      if (r.Type === "WAIT" && r.Status === "STARTED" && (r.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0) <= now) {
        this.store.save({ ...r, Status: "SUCCEEDED", EndTimestamp: new Date(now) });
        fired = true;
      } else if (r.Type === "STEP" && r.Status === "PENDING" && (r.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0) <= now) {
        this.store.save({ ...r, Status: "READY" });
        fired = true;
      }
    }
    return fired;
  }

  private async runChainedInvokes(): Promise<boolean> {
    const pending = this.operations().filter((r) => r.Type === "CHAINED_INVOKE" && r.Status === "STARTED");
    for (const r of pending) {
      const functionName = r.ChainedInvokeOptions?.FunctionName ?? "";
      const payload = r.ChainedInvokeOptions?.InputPayload;
      const registered = this.functions.get(functionName);
      let update: Partial<OperationRecord>;
      try {
        if (!registered) throw new Error(`No function registered as "${functionName}"; call registerFunction or registerDurableFunction on the runner`);
        // As the official runner: invoke(name) without input sends {} to the function.
        const event = JSON.parse(payload ?? "{}");
        let result: unknown;
        if (registered.durable) {
          const nested = new LocalDurableTestRunner({ ...this.params, handlerFunction: registered.handler });
          nested.functions.forEach((v, k) => nested.functions.set(k, v));
          const outcome = await nested.run({ payload: event });
          if (outcome.getStatus() === "FAILED") {
            const e = outcome.getError();
            throw Object.assign(new Error(e.errorMessage), { name: e.errorType ?? "Error" });
          }
          result = outcome.getResult();
        } else {
          result = await registered.handler(event, localLambdaContext({ awsRequestId: randomUUID(), functionName }));
        }
        update = { Status: "SUCCEEDED", ChainedInvokeDetails: { Result: result === undefined ? undefined : JSON.stringify(result) } };
      } catch (error) {
        update = { Status: "FAILED", ChainedInvokeDetails: { Error: errorToObject(error) } };
      }
      this.store.save({ ...r, ...update, EndTimestamp: new Date(this.clock.now()) });
    }
    return pending.length > 0;
  }

  // OperationHost, used by operation views.
  records(): OperationRecord[] {
    return this.store.load();
  }
  operationEvents(operationId: string): HistoryEvent[] {
    const execution = this.store.get("execution");
    return execution && this.history ? this.history.operationEvents(execution, operationId) : [];
  }
  private operations(): OperationRecord[] {
    return this.store.load().filter((r) => r.Type !== "EXECUTION");
  }

  whenOperation(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    if (!this.current) return Promise.reject(new Error("The operation has no data and no execution is running"));
    return new Promise((resolve, reject) => this.waiters.push({ ready, resolve, reject }));
  }

  private notifyWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }

  completeCallback(callbackOperationId: string, outcome: { result: string | undefined } | { error: ErrorObject | undefined }): void {
    const known = this.store.get(callbackOperationId);
    if (!known || known.Type !== "CALLBACK") throw new Error(`No callback operation ${callbackOperationId}`);
    if (isTerminalStatus(known.Status)) throw new Error(`Callback ${known.CallbackDetails?.CallbackId} is already ${known.Status}`);
    this.signalExternalEvent(() => {
      const r = this.store.get(callbackOperationId)!;
      if (isTerminalStatus(r.Status)) return; // timed out in the meantime
      const details =
        "result" in outcome
          ? { ...r.CallbackDetails, Result: outcome.result }
          : { ...r.CallbackDetails, Error: outcome.error ?? {} }; // as the official runner: no error, no fields
      this.store.save({ ...r, Status: "result" in outcome ? "SUCCEEDED" : "FAILED", EndTimestamp: new Date(this.clock.now()), CallbackDetails: details });
    });
  }

  holdCallback(callbackOperationId: string): void {
    this.callbackTimers.hold(callbackOperationId);
  }

  heartbeatCallback(callbackOperationId: string): void {
    const r = this.store.get(callbackOperationId);
    if (!r || r.Status !== "STARTED") throw new Error(`Callback operation ${callbackOperationId} is not waiting`);
    // Not an event for the handler (no invocation follows): the sleeping runner recomputes its deadline.
    this.callbackTimers.heartbeat(callbackOperationId);
    this.wake?.();
  }

  private signalExternalEvent(apply: () => void): void {
    this.externalEvents.push(apply);
    this.wake?.();
  }
}
