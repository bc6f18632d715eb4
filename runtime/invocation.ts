import type { Journal } from "./journal.js";
import type { SerdesConfig } from "./serdes.js";
import type { LambdaContext } from "./types.js";

export type InvocationMode = "execute" | "verify";

/** Why an invocation stops before its handler settles. */
export type Termination = { kind: "suspended" } | { kind: "fatal"; error: Error };

/**
 * A fresh promise that never settles. Each suspended await gets its own: the continuation
 * it holds (and the handler frame behind it) becomes garbage with the invocation. One
 * shared never-settling promise would keep every continuation ever attached to it alive.
 */
const never = (): Promise<never> => new Promise<never>(() => undefined);
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The state one run of the handler shares across its contexts: journal, clock, and the
 * bookkeeping that decides when the run can stop.
 *
 * Suspension is not an exception. An operation that must wait for time or an external
 * event returns a promise that never settles, so no try/catch/finally in the handler can
 * observe or swallow it; the invocation ends when nothing can make progress any more.
 */
export class Invocation {
  private running = 0;
  private blocked = false;
  private ended = false;
  private readonly runningDrainedWaiters: Array<() => void> = [];
  private resolveTermination!: (t: Termination) => void;
  readonly termination: Promise<Termination> = new Promise((resolve) => {
    this.resolveTermination = resolve;
  });
  serdesConfig: SerdesConfig = {};

  constructor(
    readonly journal: Journal,
    readonly executionArn: string,
    readonly clock: () => number,
    readonly mode: InvocationMode,
    readonly lambdaContext: LambdaContext,
    readonly requestId: string,
  ) {}

  /** Counts work that can still make progress (a step body, a checkpoint write). */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.running === 0) {
        for (const wake of this.runningDrainedWaiters.splice(0)) wake();
        if (this.blocked) this.scheduleIdleCheck();
      }
    }
  }

  /** The operation cannot complete in this invocation. Never settles. */
  suspend(): Promise<never> {
    this.blocked = true;
    this.scheduleIdleCheck();
    return never();
  }

  /** Ends the invocation with an error the handler cannot catch. Never settles. */
  fail(error: Error): Promise<never> {
    if (!this.ended) {
      this.ended = true;
      this.resolveTermination({ kind: "fatal", error });
    }
    return never();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  markEnded(): void {
    this.ended = true;
  }

  /** Resolves at a point where all microtasks have run and no tracked work is in flight. */
  async whenIdle(): Promise<void> {
    for (;;) {
      await nextMacrotask();
      if (this.running === 0) return;
      await new Promise<void>((resolve) => this.runningDrainedWaiters.push(resolve));
    }
  }

  private scheduleIdleCheck(): void {
    setImmediate(() => {
      if (!this.ended && this.running === 0 && this.blocked) {
        this.ended = true;
        this.resolveTermination({ kind: "suspended" });
      }
    });
  }
}
