// What every torture handler's steps share: the probe step bodies report to (the side log, set
// by the worker; unset in the crash-free reference run) and `tracked`, a step that reports its
// start and end under its name.
import { setTimeout as sleep } from "node:timers/promises";
import { StepSemantics, type DurableContext, type RetryDecision } from "../../../runtime/index.js";
import type { Semantics, SideLogLine } from "./side-log.js";

export interface Probe {
  /** Writes the line durably, then may act on it (a worker kills itself at chosen moments). */
  line(line: SideLogLine): void;
}
export let probe: Probe | undefined;
export function configureProbe(next: Probe | undefined): void {
  probe = next;
}

export const executionIdOf = (ctx: DurableContext): string => ctx.executionContext.durableExecutionArn.replace(/^.*:execution\//, "");

/** Retries quickly; an at-most-once step gets attempts to spare, since each interrupted attempt uses one up. */
export function retries(maxAttempts: number): (error: Error, attemptsMade: number) => RetryDecision {
  return (_error, attemptsMade) => (attemptsMade >= maxAttempts ? { shouldRetry: false } : { shouldRetry: true, delay: { seconds: 0.1 } });
}
export const AT_MOST_ONCE_ATTEMPTS = 100_000;

export interface StepSpec<T> {
  value: T;
  /** The body fails its attempts up to this one (0: never fails). */
  failUntil?: number;
  /** Attempts before the step fails for good (default: enough to get past failUntil). */
  maxAttempts?: number;
  sleepMs: number;
}

/** A step whose body reports its start and end to the side log under `op`, its name (unique in the execution). */
export function tracked<T>(ctx: DurableContext, op: string, sem: Semantics, spec: StepSpec<T>): Promise<T> {
  const e = executionIdOf(ctx);
  const failUntil = spec.failUntil ?? 0;
  const maxAttempts = sem === "amo" ? AT_MOST_ONCE_ATTEMPTS : (spec.maxAttempts ?? failUntil + 1);
  return ctx.step(
    op,
    async ({ attempt }) => {
      probe?.line({ k: "start", e, op, a: attempt, sem, pid: process.pid });
      await sleep(spec.sleepMs);
      const ok = attempt > failUntil;
      probe?.line({ k: "end", e, op, a: attempt, sem, ok, pid: process.pid });
      if (!ok) throw new Error(`${op} failed on attempt ${attempt}`);
      return spec.value;
    },
    { semantics: sem === "amo" ? StepSemantics.AtMostOncePerRetry : StepSemantics.AtLeastOncePerRetry, retryStrategy: retries(maxAttempts) },
  );
}

export const caught = (error: unknown) => ({ caught: (error as Error).message, name: (error as Error).name });
