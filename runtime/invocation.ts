import { AsyncResource } from "node:async_hooks";
import { currentDurablePromise, type DurablePromise } from "./durable-promise.js";
import type { Journal } from "./journal.js";
import type { OperationRecord } from "./operation-model.js";
import type { PluginHooks } from "./plugins.js";
import type { SerdesConfig } from "./serdes.js";
import type { LambdaContext } from "./types.js";

export type InvocationMode = "execute" | "verify";

/** Why a round of the handler stops before the handler settles. */
export type Termination = { kind: "suspended" } | { kind: "fatal"; error: Error };

/**
 * A fresh promise that never settles. Each suspended await gets its own: the continuation
 * it holds (and the handler frame behind it) becomes garbage with the invocation. One
 * shared never-settling promise would keep every continuation ever attached to it alive.
 */
const never = (): Promise<never> => new Promise<never>(() => undefined);
/** How often a running invocation asks its host for news while work runs and awaits wait. */
const FORCE_CHECKPOINT_POLL_MS = 50;
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An await that cannot settle yet, and how to re-evaluate its operation once the record changes. */
interface Suspended {
  /** The operation's promise: a suspension only ends the round once something awaits it. */
  owner: DurablePromise<unknown> | undefined;
  resume: (record: OperationRecord) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The state one run of the handler shares across its contexts: journal, clock, and the
 * bookkeeping that decides when a round of the run can stop.
 *
 * Suspension is not an exception. An operation that must wait for time or an external
 * event returns a promise that settles only if the host later resumes it (warm resumption,
 * see resume()); no try/catch/finally in the handler can observe or swallow it. A round
 * ends when nothing can make progress any more; a closed invocation's suspended awaits
 * never settle and are dropped, so their continuations become garbage.
 */
export class Invocation {
  private running = 0;
  private ended = false;
  private closed = false;
  private readonly runningDrainedWaiters: Array<() => void> = [];
  /** Suspended awaits by operation id, in the order they suspended. */
  private readonly suspended = new Map<string, Suspended[]>();
  private resolveTermination!: (t: Termination) => void;
  private polling = false;
  /**
   * Set by a host that can move its own state on while this invocation runs (the test runner):
   * waits and retries that came due, invokes it ran, callbacks it received. Returns the records
   * that changed, already persisted.
   */
  forceCheckpoint: (() => Promise<OperationRecord[]>) | undefined;
  /** Runs a function in the async context the invocation was created in (the host's), outside the handler's frames. */
  private readonly outsideHandler = AsyncResource.bind(<T>(fn: () => T): T => fn());
  /** Settles when the current round stops before the handler settles. */
  termination!: Promise<Termination>;
  serdesConfig: SerdesConfig = {};
  /** The handler's instrumentation plugins (plugins.ts); undefined without any, and in the replay check. */
  plugins: PluginHooks | undefined;

  constructor(
    readonly journal: Journal,
    readonly executionArn: string,
    readonly clock: () => number,
    readonly mode: InvocationMode,
    readonly lambdaContext: LambdaContext,
    readonly requestId: string,
  ) {
    this.beginRound();
  }

  /** Counts work that can still make progress (a step body, a checkpoint write). */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.running === 0) {
        for (const wake of this.runningDrainedWaiters.splice(0)) wake();
        if (this.suspended.size > 0) this.scheduleIdleCheck();
      }
    }
  }

  /**
   * The operation `id` cannot complete now. Returns its own promise, settled only when the
   * host delivers a new record for `id` to this (still open) invocation: `resume`
   * re-evaluates the operation from that record, and the await gets its result.
   */
  suspend<T>(id: string, resume: (record: OperationRecord) => T | PromiseLike<T>): Promise<T> {
    if (this.closed) return never();
    // As the official SDK: an operation nobody awaits (void ctx.wait(...)) does not suspend the
    // invocation; the handler may still return, leaving it STARTED. Once awaited, it does.
    const owner = currentDurablePromise();
    owner?.onExecuted(() => this.scheduleIdleCheck());
    const promise = new Promise<T>((resolve, reject) => {
      const entry: Suspended = {
        owner,
        // The re-evaluation runs in the async context of the original call (context-usage.ts frames).
        resume: AsyncResource.bind(resume),
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.suspended.set(id, [...(this.suspended.get(id) ?? []), entry]);
    });
    this.scheduleIdleCheck();
    return promise;
  }

  /**
   * Starts a new round: re-evaluates the awaits suspended on these operation ids (their
   * records changed), oldest first, and settles each with its operation's new outcome.
   */
  resume(ids: Iterable<string>): void {
    this.beginRound();
    this.resumeSuspended(ids);
    // Also ends a round in which nothing was resumed (a heartbeat, an unrelated record).
    this.scheduleIdleCheck();
  }

  private resumeSuspended(ids: Iterable<string>): void {
    const changed = new Set(ids);
    for (const [id, entries] of [...this.suspended]) {
      if (!changed.has(id)) continue;
      this.suspended.delete(id);
      // Left behind in a completed child context: never settles, as on replay (journal.ts).
      if (this.journal.isInsideCompletedContext(id)) continue;
      const record = this.journal.get(id)!;
      // A continuation that throws at once rejects its await, as an async function would.
      for (const entry of entries) new Promise((settle) => settle(entry.resume(record))).then(entry.resolve, entry.reject);
    }
  }

  /** Ends the invocation with an error the handler cannot catch. Never settles. */
  fail(error: Error): Promise<never> {
    if (!this.ended) {
      this.ended = true;
      this.resolveTermination({ kind: "fatal", error });
    }
    return never();
  }

  markEnded(): void {
    this.ended = true;
  }

  /** No await of this invocation will settle again; their continuations become garbage. */
  close(): void {
    this.ended = true;
    this.closed = true;
    this.suspended.clear();
  }

  /** Resolves at a point where all microtasks have run and no tracked work is in flight. */
  async whenIdle(): Promise<void> {
    for (;;) {
      await nextMacrotask();
      if (this.running === 0) return;
      await new Promise<void>((resolve) => this.runningDrainedWaiters.push(resolve));
    }
  }

  private beginRound(): void {
    this.ended = false;
    this.termination = new Promise((resolve) => {
      this.resolveTermination = resolve;
    });
  }

  private hasAwaitedSuspension(): boolean {
    for (const entries of this.suspended.values()) if (entries.some((e) => !e.owner || e.owner.isExecuted)) return true;
    return false;
  }

  private scheduleIdleCheck(): void {
    setImmediate(() => {
      if (this.ended || !this.hasAwaitedSuspension()) return;
      if (this.running === 0) {
        this.ended = true;
        this.resolveTermination({ kind: "suspended" });
      } else if (this.forceCheckpoint && !this.polling) {
        // The host's work (a nested execution it invokes) must not run as the handler's code.
        void this.outsideHandler(() => this.pollWhileRunning());
      }
    });
  }

  /**
   * As the official SDK's force checkpointing: while work still runs (a long step) and an
   * awaited operation waits (a retry, a wait, an invoke, a callback), the invocation does not
   * end; it asks the host for what changed meanwhile and resumes those awaits in this round.
   */
  private async pollWhileRunning(): Promise<void> {
    this.polling = true;
    try {
      while (!this.ended && !this.closed && this.running > 0 && this.hasAwaitedSuspension()) {
        const changed = await this.forceCheckpoint!();
        if (this.ended || this.closed) return;
        if (changed.length > 0) {
          for (const record of changed) this.journal.apply(record);
          this.resumeSuspended(changed.map((r) => r.Id));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, FORCE_CHECKPOINT_POLL_MS));
      }
    } finally {
      this.polling = false;
      this.scheduleIdleCheck();
    }
  }
}
