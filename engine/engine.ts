import { createHash, randomUUID } from "node:crypto";
import { errorToObject } from "../runtime/errors.js";
import type { JournalStore } from "../runtime/journal.js";
import { localLambdaContext } from "../runtime/lambda-context.js";
import type { ErrorObject, OperationRecord } from "../runtime/operation-model.js";
import type { InvocationOutcome, LiveInvocation } from "../runtime/run-invocation.js";
import { durableHandlerOf } from "../runtime/with-durable-execution.js";
import { attachedRunner, replayableRunner, type FunctionRunner } from "./function-runner.js";
import { EngineEvents, type EngineEvent } from "./engine-events.js";
import { isDeadLocalWorker, newWorkerId } from "./worker-identity.js";
import { ExecutionState } from "./execution-state.js";
import { endedExecutionRecord, EXECUTION_RECORD_ID, lambdaStatusOf, startedExecutionRecord } from "./execution-status.js";
import { CallbackNotWaitingError, checkCallbackId, checkExecutionId, checkFunctionName, checkPayloadSize, DEFAULT_MAX_PAYLOAD_BYTES, ExecutionNotStoppableError, payloadText, UnknownCallbackError } from "./input-checks.js";
import type { ExecutionFilter } from "./store-rules.js";
import { LeaseLostError, type CallbackOutcome, type CommitBatch, type EngineStore, type ExecutionRow, type Lease, type Signal } from "./store.js";

export interface EngineOptions {
  store: EngineStore;
  /**
   * Functions by name: durable handlers (what withDurableExecution returns) run as
   * executions; plain async functions can be the target of context.invoke.
   */
  functions?: Record<string, unknown>;
  /**
   * "warm" (default): while this process holds an execution's suspended handler, a wait or
   * callback that completes resumes it in memory. "replay": every wake-up replays the
   * handler from its first line, as Lambda does.
   */
  resumption?: "warm" | "replay";
  /** Start the worker loop (default true). Without it, call runDue() to do the work. */
  worker?: boolean;
  /** Identifies this worker in leases (default: host/pid/random, so a dead local worker's leases are taken over at once). */
  workerId?: string;
  /** How long a claim holds an execution before another worker may take it over (default 30 s); renewed while running. */
  leaseMs?: number;
  /** How often the worker looks for work committed by other processes (default 200 ms). */
  pollMs?: number;
  /** Executions run at once by this worker (default 64). */
  maxConcurrent?: number;
  clock?: () => number;
  /**
   * Supplies a function this engine has not registered when one of its executions is due
   * (the CLI's worker imports handler files on demand). Without it, the worker claims only
   * executions of registered functions. Undefined: not known here.
   */
  resolveFunction?: (name: string) => unknown | Promise<unknown>;
  /** Largest input or callback result accepted, in bytes of JSON (default 256 KiB, as AWS). */
  maxPayloadBytes?: number;
}

type PlainFunction = (event: unknown, context: unknown) => unknown;

/** The claim a handler's checkpoints are committed under; a warm handler moves from claim to claim. */
interface CurrentClaim {
  epoch: number;
  invocation: number;
  lease: Lease;
  /**
   * A commit failed: another worker took the execution over (LeaseLostError), or the store
   * could not write (a full disk). Nothing more may be committed or finished in this claim;
   * the execution is left to be retried from what was committed.
   */
  failure?: unknown;
}

/** An execution's handler kept in memory between wake-ups (warm resumption). */
interface LiveExecution {
  invocation: LiveInvocation;
  state: ExecutionState;
  /** Valid only if the next claim's epoch is this claim's + 1 (no one ran it in between). */
  claim: CurrentClaim;
}

type Commit = (batch: Omit<CommitBatch, "executionId" | "epoch" | "at">) => Promise<void>;

export { EXECUTION_RECORD_ID } from "./execution-status.js";
/** The owner of a plain invoke's dispatch claim once the function has run and its outcome is stored, for good. */
const DISPATCH_DONE = "done";
/** The longest pause between claim rounds while the store keeps failing. */
const MAX_CLAIM_BACKOFF_MS = 5_000;
const DISPATCH_DONE_MS = 100 * 365 * 24 * 3600 * 1000;
/** How long an execution rests after its store failed to commit before it is tried again. */
const STORE_FAILURE_RETRY_MS = 1000;

/**
 * The local engine: starts executions, claims due ones from the store, runs them through
 * the runtime, commits their checkpoints under a fenced lease, and schedules the next
 * wake-up. Several engines (processes) may share one store.
 */
export class Engine {
  private readonly store: EngineStore;
  private readonly functions = new Map<string, { durable: FunctionRunner } | { plain: PlainFunction }>();
  private readonly resumption: "warm" | "replay";
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxConcurrent: number;
  private readonly clock: () => number;
  private readonly maxPayloadBytes: number;
  private readonly resolveFunction: EngineOptions["resolveFunction"];
  private readonly live = new Map<string, LiveExecution>();
  private readonly active = new Map<string, Promise<void>>();
  /** The lease of each execution in `active` (the latest claim's). */
  private readonly heldLeases = new Map<string, Lease>();
  /** Each held lease's length: leaseMs, or longer after expired leases (the store's leaseLength); renewals keep it. */
  private readonly leaseLengths = new WeakMap<Lease, number>();
  /**
   * When each held lease was last known to be this worker's (its claim or a renewal), on the
   * monotonic clock: the engine's clock may be virtual, and a blocked event loop is real time.
   */
  private readonly leaseConfirmedAt = new WeakMap<Lease, number>();
  /** Invokes this engine is dispatching now; for a plain function, when its claim in the store expires. */
  private readonly dispatchedInvokes = new Map<string, number | undefined>();
  private readonly events = new EngineEvents();
  private closed = false;
  private loopDone: Promise<void> | undefined;
  private wakeLoop: (() => void) | undefined;
  private wakeRequested = false;
  private unsubscribeWakeUps: (() => void) | undefined;

  constructor(options: EngineOptions) {
    this.store = options.store;
    for (const [name, fn] of Object.entries(options.functions ?? {})) this.register(name, fn);
    this.resumption = options.resumption ?? "warm";
    this.workerId = options.workerId ?? newWorkerId();
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 200;
    this.maxConcurrent = options.maxConcurrent ?? 64;
    this.clock = options.clock ?? Date.now;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.resolveFunction = options.resolveFunction;
    if (options.worker !== false) {
      this.unsubscribeWakeUps = this.store.subscribeWakeUps?.(() => this.poke());
      this.loopDone = this.loop();
    }
  }

  /** Registers a durable handler or a plain function under a name. */
  register(name: string, fn: unknown): this {
    checkFunctionName(name);
    const replayable = durableHandlerOf(fn);
    const durable = replayable ? replayableRunner(replayable) : attachedRunner(fn);
    if (durable) this.functions.set(name, { durable });
    else if (typeof fn === "function") this.functions.set(name, { plain: fn as PlainFunction });
    else throw new TypeError(`Function "${name}" must be a handler made with withDurableExecution or an async function; got ${typeof fn}.`);
    return this;
  }

  /** Subscribes to what the engine does (operations committed, invocations, executions ending). */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Starts an execution of a registered durable function. Idempotent on executionId:
   * starting again returns the existing execution, whatever its input.
   */
  async start(functionName: string, input?: unknown, options: { executionId?: string } = {}): Promise<ExecutionRow> {
    const registered = this.functions.get(functionName);
    if (!registered || !("durable" in registered)) {
      const known = [...this.functions].filter(([, f]) => "durable" in f).map(([n]) => n);
      throw new Error(`No durable function registered as "${functionName}"${known.length ? `; registered: ${known.join(", ")}` : ""}.`);
    }
    const executionId = options.executionId ?? randomUUID();
    checkExecutionId(executionId);
    if (isChildExecutionId(executionId)) {
      throw new TypeError(`Invalid execution id "${executionId}": ids of the form invoke-<32 hex digits> are the engine's, for the executions context.invoke starts; pick another id.`);
    }
    // As Lambda and the official runner: no input is {}, an explicit null stays null.
    const inputText = payloadText(input === undefined ? {} : input, "execution input", this.maxPayloadBytes);
    const now = this.clock();
    const { created, execution } = await this.store.createExecution({ executionId, functionName, input: inputText, createdAt: now, nextWakeAt: now });
    if (created) this.events.emit({ type: "execution-started", execution });
    this.poke();
    return execution;
  }

  getExecution(executionId: string): Promise<ExecutionRow | undefined> {
    return this.store.getExecution(executionId);
  }
  listExecutions(filter?: ExecutionFilter): Promise<ExecutionRow[]> {
    return this.store.listExecutions(filter);
  }
  operations(executionId: string): Promise<OperationRecord[]> {
    return this.store.loadOperations(executionId);
  }
  /** Every committed state of every operation, in order, with the invocation that wrote it. */
  history(executionId: string, options: { afterSequence?: number } = {}): ReturnType<EngineStore["loadUpdates"]> {
    return this.store.loadUpdates(executionId, options.afterSequence);
  }
  /** The execution's invocations: when each started and ended, and how. */
  invocations(executionId: string): ReturnType<EngineStore["loadInvocations"]> {
    return this.store.loadInvocations(executionId);
  }

  /** Resolves with the execution once it has ended (run by this engine or any other on the store). */
  async waitForExecution(executionId: string, options: { timeoutMs?: number } = {}): Promise<ExecutionRow> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      const execution = await this.store.getExecution(executionId);
      if (!execution) throw new Error(`No execution ${executionId}`);
      if (execution.status !== "RUNNING") return execution;
      if (Date.now() >= deadline) throw new Error(`Execution ${executionId} is still running after ${options.timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(this.pollMs, deadline - Date.now()));
        const unsubscribe = this.events.subscribe((e) => e.type === "execution-ended" && e.execution.executionId === executionId && done());
        function done() {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    }
  }

  /** Completes a callback; result is the payload's text (JSON, as the AWS API takes it). */
  async sendCallbackSuccess(callbackId: string, result?: string): Promise<void> {
    if (result !== undefined && typeof result !== "string") throw new TypeError(`A callback result is text (JSON); got ${typeof result}. Pass JSON.stringify(value).`);
    if (result !== undefined) checkPayloadSize(result, "callback result", this.maxPayloadBytes);
    return this.signalCallback(callbackId, { kind: "callback-succeeded", result });
  }
  sendCallbackFailure(callbackId: string, error: ErrorObject | Error | string): Promise<void> {
    const errorObject: ErrorObject = typeof error === "string" ? { ErrorType: "Error", ErrorMessage: error } : error instanceof Error ? errorToObject(error) : error;
    checkPayloadSize(JSON.stringify(errorObject), "callback error", this.maxPayloadBytes);
    return this.signalCallback(callbackId, { kind: "callback-failed", error: errorObject });
  }
  sendCallbackHeartbeat(callbackId: string): Promise<void> {
    return this.signalCallback(callbackId, { kind: "callback-heartbeat" });
  }

  /**
   * Stops a running execution, as Lambda's StopDurableExecution does: a claim fences out any
   * invocation of this engine in progress (its later checkpoints are refused), then one commit
   * marks the EXECUTION operation STOPPED and ends the execution FAILED with the error given.
   * A stopped execution is FAILED in the store; its EXECUTION record says STOPPED.
   */
  async stopExecution(executionId: string, error?: Partial<ErrorObject>): Promise<{ stoppedAt: number }> {
    checkExecutionId(executionId);
    const execution = await this.store.getExecution(executionId);
    if (!execution) throw new ExecutionNotStoppableError(`No execution ${JSON.stringify(executionId)} on this store: check the id, and that the engine uses the store it ran on.`);
    if (execution.status !== "RUNNING") throw new ExecutionNotStoppableError(`Execution ${executionId} has already ended (${await lambdaStatusOf(this.store, execution)}); nothing was changed.`);
    const now = this.clock();
    const lease = await this.store.claim(executionId, `${this.workerId}/stop`, now, this.leaseMs, this.workerId);
    if (!lease) throw new ExecutionNotStoppableError(`Execution ${executionId} is running in another process right now; nothing was changed. Try again when its invocation ends.`);
    const record = await this.store.loadOperation(executionId, EXECUTION_RECORD_ID);
    const stopError: ErrorObject = { ErrorType: "ExecutionStopped", ErrorMessage: "The execution was stopped", ...error };
    await this.store.commit({ executionId, epoch: lease.epoch, at: now, operations: [endedExecutionRecord(execution, record, "STOPPED", now)], release: true, execution: { status: "FAILED", error: stopError, endedAt: now, nextWakeAt: undefined } });
    this.poke();
    return { stoppedAt: now };
  }

  /** Runs everything due now, once, and waits for it (for workers started with worker: false, and for `replayable resume`). */
  async runDue(): Promise<number> {
    const askedAt = performance.now();
    const leases = await this.store.claimDue(this.workerId, this.clock(), this.leaseMs, this.maxConcurrent, this.claimableFunctions());
    for (const lease of leases) this.leaseConfirmedAt.set(lease, askedAt);
    await Promise.all(leases.map((lease) => this.runClaimed(lease)));
    return leases.length;
  }

  /** Stops claiming work, waits for running invocations to reach their end, and drops suspended handlers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeWakeUps?.();
    this.poke();
    await this.loopDone;
    await Promise.allSettled([...this.active.values()]);
    for (const live of this.live.values()) live.invocation.close();
    this.live.clear();
  }

  private async signalCallback(callbackId: string, outcome: CallbackOutcome): Promise<void> {
    checkCallbackId(callbackId);
    const target = await this.store.findCallback(callbackId);
    if (!target) throw new UnknownCallbackError(callbackId);
    // One transaction checks that it still waits and records the signal: of several senders, one wins.
    const answer = await this.store.addCallbackSignal(target, outcome, this.clock);
    if (!answer.accepted) throw new CallbackNotWaitingError(`Callback ${callbackId} is no longer waiting: ${answer.reason}. Nothing was recorded.`);
    this.poke();
  }

  private poke(): void {
    this.wakeRequested = true;
    this.wakeLoop?.();
  }

  private async loop(): Promise<void> {
    /** Claim rounds failed in a row (the store cannot write: a full disk, a lock held for long). */
    let failedClaims = 0;
    while (!this.closed) {
      this.wakeRequested = false;
      const capacity = this.maxConcurrent - this.active.size;
      let claimed = 0;
      if (capacity > 0) {
        try {
          // After a stall (a long synchronous step, a paused process) the renewal timer may not
          // have run yet: renew what this worker is still running before claiming, so that it
          // never claims (and fences out) its own running executions.
          for (const held of this.heldLeases.values()) {
            const length = this.leaseLengths.get(held) ?? this.leaseMs;
            if (held.expiresAt - this.clock() < (length * 2) / 3) await this.renew(held, length);
          }
          // A lease runs from the claim: the run may start later (after this worker's previous
          // run of the execution, see track), and the loop may block meanwhile.
          const askedAt = performance.now();
          const leases = await this.store.claimDue(this.workerId, this.clock(), this.leaseMs, capacity, this.claimableFunctions());
          leases.push(...(await this.takeOverFromDeadWorkers(capacity - leases.length)));
          claimed = leases.length;
          for (const lease of leases) {
            this.leaseConfirmedAt.set(lease, askedAt);
            this.track(lease);
          }
          failedClaims = 0;
        } catch (error) {
          failedClaims += 1;
          this.events.emit({ type: "worker-error", error });
        }
      }
      if (this.closed || (claimed > 0 && claimed === capacity) || (this.wakeRequested && failedClaims === 0)) continue;
      // After failed claims, back off (doubling up to MAX_CLAIM_BACKOFF_MS): an execution that is
      // due would otherwise be retried at once, in a loop, for as long as the disk stays full.
      let delay = failedClaims > 0 ? Math.min(MAX_CLAIM_BACKOFF_MS, this.pollMs * 2 ** (failedClaims - 1)) : this.pollMs;
      try {
        const next = failedClaims > 0 ? undefined : await this.store.nextWakeAt();
        if (next !== undefined) delay = Math.min(delay, Math.max(0, next - this.clock()));
      } catch {
        // The store is closing or failing; poll again later.
      }
      if (this.wakeRequested && failedClaims === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delay);
        const wake = () => done();
        this.wakeLoop = wake;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      this.wakeLoop = undefined;
    }
  }

  /** The functions this worker claims executions of; undefined (all) when it can resolve unknown ones. */
  private claimableFunctions(): string[] | undefined {
    return this.resolveFunction ? undefined : [...this.functions].filter(([, f]) => "durable" in f).map(([name]) => name);
  }

  private canRun(functionName: string): boolean {
    return this.resolveFunction !== undefined || this.functions.has(functionName);
  }

  /** The registered function, or one resolveFunction supplies (registered for next time). */
  private async functionFor(name: string): Promise<{ durable: FunctionRunner } | { plain: PlainFunction } | undefined> {
    const known = this.functions.get(name);
    if (known || !this.resolveFunction) return known;
    const resolved = await this.resolveFunction(name);
    if (resolved === undefined) return undefined;
    this.register(name, resolved);
    return this.functions.get(name);
  }

  /** Claims due executions whose lease holder was a process on this host that has died. */
  private async takeOverFromDeadWorkers(capacity: number): Promise<Lease[]> {
    if (capacity <= 0) return [];
    const leases: Lease[] = [];
    for (const held of await this.store.heldDue(this.clock())) {
      if (leases.length >= capacity || this.active.has(held.executionId) || !this.canRun(held.functionName) || !isDeadLocalWorker(held.owner)) continue;
      const lease = await this.store.claim(held.executionId, this.workerId, this.clock(), this.leaseMs, held.owner);
      if (lease) leases.push(lease);
    }
    return leases;
  }

  private track(lease: Lease): void {
    // Still running here under an older claim: this process stalled past its lease (a long
    // synchronous step, a paused process) and claimed its own execution again. The new claim
    // fences the old run out (its commits are refused, it ends and drops its handler); run
    // this claim once it has, from what was committed, never both at once.
    const previous = this.active.get(lease.executionId);
    this.heldLeases.set(lease.executionId, lease);
    const run = (previous ? previous.then(() => this.runClaimed(lease)) : this.runClaimed(lease)).finally(() => {
      if (this.active.get(lease.executionId) === run) {
        this.active.delete(lease.executionId);
        this.heldLeases.delete(lease.executionId);
      }
      this.poke();
    });
    this.active.set(lease.executionId, run);
  }

  /** Extends a held lease; a refusal or a store error leaves it to expire. */
  private async renew(lease: Lease, length: number): Promise<void> {
    const askedAt = performance.now();
    if (await this.store.renew(lease, this.clock(), length).catch(() => false)) this.leaseConfirmedAt.set(lease, askedAt);
  }

  /**
   * Whether a step body may start under this claim: not after a commit was refused, nor once
   * a lease's length has passed since it was last confirmed (the loop was blocked and could
   * not renew it: another worker may have taken the execution over). The claim is then lost.
   */
  private holdsClaim(claim: CurrentClaim): boolean {
    if (claim.failure !== undefined) return false;
    const confirmedAt = this.leaseConfirmedAt.get(claim.lease);
    if (confirmedAt === undefined || performance.now() - confirmedAt < (this.leaseLengths.get(claim.lease) ?? this.leaseMs)) return true;
    claim.failure = new LeaseLostError(claim.lease.executionId, claim.epoch);
    this.events.emit({ type: "claim-expired", executionId: claim.lease.executionId, epoch: claim.epoch });
    return false;
  }

  /** Runs one claimed execution until it suspends or ends, then releases it. */
  private async runClaimed(lease: Lease): Promise<void> {
    const length = Math.max(this.leaseMs, lease.expiresAt - this.clock());
    this.leaseLengths.set(lease, length);
    const renewal = setInterval(() => void this.renew(lease, length), Math.max(10, length / 3));
    try {
      await this.runExecution(lease);
    } catch (error) {
      this.dropLive(lease.executionId);
      if (!(error instanceof LeaseLostError)) {
        this.events.emit({ type: "worker-error", executionId: lease.executionId, error });
        // The store failed (e.g. a full disk): hand the execution back, to be replayed from
        // what was committed after a pause. If even this fails, the lease runs out instead.
        const retryAt = this.clock() + STORE_FAILURE_RETRY_MS;
        await this.store.commit({ executionId: lease.executionId, epoch: lease.epoch, at: this.clock(), operations: [], release: true, backOff: true, execution: { nextWakeAt: retryAt } }).catch(() => undefined);
      }
    } finally {
      clearInterval(renewal);
    }
  }

  private async runExecution(lease: Lease): Promise<void> {
    const { executionId, epoch } = lease;
    const execution = await this.store.getExecution(executionId);
    if (!execution || execution.status !== "RUNNING") return;
    const registered = await this.functionFor(execution.functionName);
    const claim: CurrentClaim = { epoch, invocation: execution.invocations + 1, lease };
    const commit = this.committerFor(executionId, () => claim);
    if (!registered || !("durable" in registered)) {
      // Another engine on the store may know the function; hand the execution back unchanged.
      await commit({ operations: [], release: true, execution: { nextWakeAt: this.clock() + this.pollMs * 5 } });
      return;
    }

    let live = this.live.get(executionId);
    const warm = this.resumption === "warm" && registered.durable.canResumeWarm;
    if (live && (!warm || live.claim.epoch !== epoch - 1)) {
      // Someone else ran it since: the handler in memory is stale.
      this.dropLive(executionId);
      live = undefined;
    }
    const state = live?.state ?? new ExecutionState(await this.store.loadOperations(executionId));
    const now = this.clock();
    const changed: OperationRecord[] = [];
    if (!state.get(EXECUTION_RECORD_ID)) {
      const record = startedExecutionRecord(execution);
      state.set(record);
      changed.push(record);
    }
    const signals = await this.store.pendingSignals(executionId);
    // A heartbeat moves its callback's deadline and nothing else: as on AWS, it is recorded
    // but does not invoke the handler.
    const heartbeats: OperationRecord[] = [];
    for (const signal of signals) {
      const next = state.applySignal(signal, now);
      if (next) (signal.outcome.kind === "callback-heartbeat" ? heartbeats : changed).push(next);
    }
    changed.push(...state.fireDue(now));
    const appliedSignals = signals.map((s) => s.sequence);

    if (changed.length === 0 && (live || heartbeats.length > 0)) {
      // Woken with nothing to deliver (a poll, a heartbeat, a dispatch claim to check): stay suspended.
      const nextWakeAt = earliest(state.nextWakeAt(), await this.dispatchInvokes(executionId, state));
      await commit({ operations: heartbeats, appliedSignals, release: true, execution: { nextWakeAt } });
      if (live) live.claim = claim;
      return;
    }

    const invocationNumber = claim.invocation;
    // Not awaited: the handler's first checkpoints join this commit's transaction (group
    // commit keeps their order), and a failure here fails every later commit of the claim.
    const lambdaContext = localLambdaContext({ awsRequestId: randomUUID(), functionName: execution.functionName });
    const hostCommit = commit({
      operations: [...heartbeats, ...changed],
      appliedSignals,
      execution: { invocations: invocationNumber },
      invocation: { invocation: invocationNumber, startedAt: now, requestId: lambdaContext.awsRequestId, warm: live !== undefined },
    });
    // Reported once committed, as the handler's own checkpoints are: a process killed before
    // the commit must not have told anyone about states that never reached the store.
    const warmStart = live !== undefined;
    hostCommit.then(
      () => {
        for (const record of [...heartbeats, ...changed]) this.events.emit({ type: "operation", executionId, record, invocation: invocationNumber });
        this.events.emit({ type: "invocation-started", executionId, invocation: invocationNumber, warm: warmStart });
      },
      () => undefined,
    );

    let outcome: InvocationOutcome;
    if (live) {
      live.claim = claim;
      live.invocation.deliver(changed.filter((r) => r.Type !== "EXECUTION"));
      outcome = await live.invocation.next();
    } else {
      // The handler's checkpoints go under whichever claim it currently runs in.
      const created: { live?: LiveExecution } = {};
      const checkpoint = this.committerFor(executionId, () => created.live!.claim);
      const journal: JournalStore = {
        load: () => state.all(),
        save: (record) => this.checkpoint(checkpoint, state, executionId, created.live!.claim, [record]),
        saveBatch: (records) => this.checkpoint(checkpoint, state, executionId, created.live!.claim, records),
        holdsClaim: () => this.holdsClaim(created.live!.claim),
      };
      const updatedOperationIds = changed.filter((r) => r.Type !== "EXECUTION").map((r) => r.Id);
      const invocation = registered.durable.start({ executionArn: executionArnOf(execution), journal, clock: this.clock, lambdaContext, updatedOperationIds });
      live = created.live = { invocation, state, claim };
      this.live.set(executionId, live);
      outcome = await invocation.next();
    }
    await hostCommit;
    if (claim.failure !== undefined) throw claim.failure;
    this.events.emit({ type: "invocation-ended", executionId, invocation: invocationNumber, status: outcome.status });

    if (outcome.status === "PENDING") {
      if (!warm) this.dropLive(executionId);
      const nextWakeAt = earliest(state.nextWakeAt(), await this.dispatchInvokes(executionId, state));
      await commit({
        operations: [],
        release: true,
        execution: { nextWakeAt },
        invocation: { invocation: invocationNumber, startedAt: now, endedAt: this.clock(), outcome: "PENDING" },
      });
      return;
    }
    this.dropLive(executionId);
    await this.finish(execution, state, outcome, commit, { invocation: invocationNumber, startedAt: now });
  }

  /** Commits under the claim current at the time of the commit; a refusal marks that claim as lost. */
  private committerFor(executionId: string, currentClaim: () => CurrentClaim): Commit {
    return async (batch) => {
      const claim = currentClaim();
      if (claim.failure !== undefined) throw claim.failure;
      try {
        await this.store.commit({ ...batch, executionId, epoch: claim.epoch, at: this.clock() });
      } catch (error) {
        claim.failure ??= error;
        throw error;
      }
    };
  }

  /** Commits records the handler wrote (one batch, one transaction) and keeps the engine's view current. */
  private async checkpoint(commit: Commit, state: ExecutionState, executionId: string, claim: CurrentClaim, records: OperationRecord[]): Promise<void> {
    await commit({ operations: records });
    for (const record of records) {
      state.set(record);
      this.events.emit({ type: "operation", executionId, record, invocation: claim.invocation });
    }
  }

  private async finish(
    execution: ExecutionRow,
    state: ExecutionState,
    outcome: Exclude<InvocationOutcome, { status: "PENDING" }>,
    commit: Commit,
    invocation: { invocation: number; startedAt: number },
  ): Promise<void> {
    const now = this.clock();
    const executionRecord = state.get(EXECUTION_RECORD_ID)!;
    const ended: OperationRecord = { ...executionRecord, Status: outcome.status, EndTimestamp: new Date(now) };
    const result = outcome.status === "SUCCEEDED" ? outcome.result : undefined;
    const error = outcome.status === "FAILED" ? outcome.error : undefined;
    const parentSignal: Signal[] = execution.parent
      ? [
          {
            executionId: execution.parent.executionId,
            operationId: execution.parent.operationId,
            outcome: error ? { kind: "invoke-failed", error } : { kind: "invoke-succeeded", result },
            at: now,
          },
        ]
      : [];
    await commit({
      operations: [ended],
      release: true,
      signals: parentSignal,
      execution: { status: outcome.status, result, error, endedAt: now, nextWakeAt: undefined },
      invocation: { ...invocation, endedAt: now, outcome: outcome.status },
    });
    state.set(ended);
    this.events.emit({ type: "operation", executionId: execution.executionId, record: ended, invocation: execution.invocations + 1 });
    this.events.emit({ type: "execution-ended", execution: { ...execution, status: outcome.status, result, error, endedAt: now, nextWakeAt: undefined } });
    if (parentSignal.length) this.poke();
  }

  /**
   * Starts the targets of chained invokes the handler requested: durable ones as child
   * executions, plain ones here once this engine has claimed their dispatch in the store.
   * Returns when the execution must wake to check a plain dispatch's claim (to take it over
   * if its holder died), or undefined.
   */
  private async dispatchInvokes(executionId: string, state: ExecutionState): Promise<number | undefined> {
    let wakeAt: number | undefined;
    for (const record of state.openInvokes()) {
      const key = `${executionId}\u0000${record.Id}`;
      if (this.dispatchedInvokes.has(key)) {
        wakeAt = earliest(wakeAt, this.dispatchedInvokes.get(key));
        continue;
      }
      this.dispatchedInvokes.set(key, undefined);
      const functionName = record.ChainedInvokeOptions?.FunctionName ?? "";
      const input = record.ChainedInvokeOptions?.InputPayload;
      const target = this.functions.get(functionName);
      const reply = async (outcome: Signal["outcome"]) => {
        await this.store.addSignal({ executionId, operationId: record.Id, outcome, at: this.clock() });
        this.dispatchedInvokes.delete(key);
        this.poke();
      };
      if (!target) {
        await reply({ kind: "invoke-failed", error: { ErrorType: "ResourceNotFoundException", ErrorMessage: `No function registered as "${functionName}" on this engine; register it in createEngine({ functions }).` } });
      } else if ("durable" in target) {
        const childId = childExecutionId(executionId, record.Id);
        const { execution: child } = await this.store.createExecution({
          executionId: childId,
          functionName,
          input: input ?? "{}",
          createdAt: this.clock(),
          nextWakeAt: this.clock(),
          parent: { executionId, operationId: record.Id },
        });
        if (child.parent?.executionId !== executionId || child.parent.operationId !== record.Id) {
          // Someone else's execution holds the id (a store written before such ids were refused): fail clearly, never wait for it.
          await reply({
            kind: "invoke-failed",
            error: { ErrorType: "InvokeIdConflict", ErrorMessage: `Cannot start the invoked execution: its id ${childId} is taken by another execution (of ${child.functionName}), not started by this invoke.` },
          });
          continue;
        }
        this.dispatchedInvokes.delete(key);
        this.poke();
      } else {
        // Of several engines on the store, the one that claims the dispatch runs the function.
        const askedAt = performance.now();
        let claim = await this.store.claimDispatch(executionId, record.Id, this.workerId, this.clock(), this.leaseMs);
        if (!claim.claimed && isDeadLocalWorker(claim.owner)) claim = await this.store.claimDispatch(executionId, record.Id, this.workerId, this.clock(), this.leaseMs, claim.owner);
        if (!claim.claimed && claim.owner === DISPATCH_DONE) {
          this.dispatchedInvokes.delete(key); // ran; its outcome is pending for the execution
          continue;
        }
        wakeAt = earliest(wakeAt, claim.expiresAt);
        if (!claim.claimed) {
          this.dispatchedInvokes.delete(key);
          continue;
        }
        let lost = false;
        const claimLost = () => {
          if (lost) return;
          lost = true;
          clearInterval(renewal);
          this.events.emit({ type: "dispatch-claim-lost", executionId, operationId: record.Id });
        };
        const finish = async (outcome: Signal["outcome"]) => {
          // Still this worker's claim? Another worker may have taken it (and even marked it done,
          // or the execution ended with its outcome) while this one ran the function stalled
          // past the lease.
          const held = await this.store.claimDispatch(executionId, record.Id, this.workerId, this.clock(), this.leaseMs).catch(() => undefined);
          if (held && !held.claimed) claimLost();
          // The outcome, then the claim marked done for good: a run of the handler that loaded
          // its state before the outcome arrived must not dispatch the function again.
          await this.store.addSignal({ executionId, operationId: record.Id, outcome, at: this.clock() });
          await this.store.claimDispatch(executionId, record.Id, DISPATCH_DONE, this.clock(), DISPATCH_DONE_MS, this.workerId).catch(() => undefined);
          this.dispatchedInvokes.delete(key);
          this.poke();
        };
        if (performance.now() - askedAt >= this.leaseMs) {
          // The event loop was blocked past the claim's length after it was made: another
          // engine may have taken the dispatch over and run the function; leave it to the store.
          this.dispatchedInvokes.delete(key);
          continue;
        }
        this.dispatchedInvokes.set(key, claim.expiresAt);
        const renewal = setInterval(() => {
          this.store.claimDispatch(executionId, record.Id, this.workerId, this.clock(), this.leaseMs).then((renewed) => {
            // Taken by another worker (DONE may also be this worker's own finish, answered late).
            if (!renewed.claimed && renewed.owner !== DISPATCH_DONE) claimLost();
            else if (renewed.claimed && this.dispatchedInvokes.has(key)) this.dispatchedInvokes.set(key, renewed.expiresAt);
          }, () => undefined);
        }, Math.max(10, this.leaseMs / 3));
        void (async () => {
          try {
            const event = JSON.parse(input ?? "{}"); // as the official runner: invoke(name) without input sends {}
            const value = await target.plain(event, localLambdaContext({ awsRequestId: randomUUID(), functionName }));
            await finish({ kind: "invoke-succeeded", result: value === undefined ? undefined : JSON.stringify(value) });
          } catch (error) {
            await finish({ kind: "invoke-failed", error: errorToObject(error) }).catch(() => undefined);
          } finally {
            clearInterval(renewal);
          }
        })();
      }
    }
    return wakeAt;
  }

  private dropLive(executionId: string): void {
    this.live.get(executionId)?.invocation.close();
    this.live.delete(executionId);
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}

export function executionArnOf(execution: Pick<ExecutionRow, "functionName" | "executionId">): string {
  return `arn:replayable:local:function:${execution.functionName}:execution/${execution.executionId}`;
}

/** True for ids of the form childExecutionId makes, which start() refuses. */
export function isChildExecutionId(executionId: string): boolean {
  return /^invoke-[0-9a-f]{32}$/.test(executionId);
}

/** Deterministic, so a restarted engine dispatching the same invoke finds the child it already started. */
export function childExecutionId(parentExecutionId: string, operationId: string): string {
  return `invoke-${createHash("sha256").update(`${parentExecutionId}\u0000${operationId}`).digest("hex").slice(0, 32)}`;
}
