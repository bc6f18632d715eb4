// The torture mode "blocking steps across the lease": a step whose body blocks its process's
// event loop (synchronously) longer than the workers' lease, so the lease cannot be renewed
// while it runs; with two or more engines another one takes the execution over meanwhile
// (issue 14, item 4). Besides the round's invariants (no at-most-once attempt started twice,
// the execution ends), its starts are bounded: not counting starts cut short by the harness
// (a kill, a freeze), a blocking step starts at most MAX_UNFORCED_STARTS times, where a
// livelock (two engines taking it from each other every lease) starts it without end.
import { StepSemantics, withDurableExecution } from "../../../runtime/index.js";
import type { RoundEvidence, Violation } from "./invariants.js";
import type { Rng } from "./rng.js";
import { AT_MOST_ONCE_ATTEMPTS, executionIdOf, probe, retries, tracked } from "./steps.js";
import type { Semantics, SideLogLine } from "./side-log.js";

export interface BlockingInput {
  tag: string;
  /** How long the body blocks its event loop (in the workers; the crash-free reference run does not block). */
  blockMs: number;
  sem: Semantics;
  sleepMs: number;
}

/** The blocking steps' names end in this. */
const MARK = ".blocks";

export const blocking = withDurableExecution(async (input: BlockingInput, ctx) => {
  const e = executionIdOf(ctx);
  const before = await tracked(ctx, "before", "alo", { value: input.tag, sleepMs: input.sleepMs });
  const op = `hog${MARK}`;
  const blocked = await ctx.step(
    op,
    async ({ attempt }) => {
      probe?.line({ k: "start", e, op, a: attempt, sem: input.sem, pid: process.pid });
      // Synchronous on purpose: timers (the lease renewal among them) cannot run meanwhile.
      if (probe) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, input.blockMs);
      probe?.line({ k: "end", e, op, a: attempt, sem: input.sem, ok: true, pid: process.pid });
      return `${input.tag} blocked`;
    },
    { semantics: input.sem === "amo" ? StepSemantics.AtMostOncePerRetry : StepSemantics.AtLeastOncePerRetry, retryStrategy: retries(input.sem === "amo" ? AT_MOST_ONCE_ATTEMPTS : 1) },
  );
  const after = await tracked(ctx, "after", "amo", { value: input.tag.length, sleepMs: input.sleepMs });
  return { before, blocked, after };
});

/** Blocks 1.2 to 1.6 leases: one renewal missed for sure, and another engine may take it over. */
export function planBlocking(rng: Rng, tag: string, sleepMs: number, leaseMs: number): BlockingInput {
  return { tag, blockMs: Math.round(leaseMs * (1.2 + rng.next() * 0.4)), sem: rng.pick(["amo", "alo"] as const), sleepMs };
}

/**
 * The first run, and one run under the claim that took the execution over when the first
 * outlasted its lease: that claim's lease is long enough (it grows with each takeover of an
 * expired lease). One more for a takeover's claim released before it ran the step (an
 * at-most-once retry after a short delay), whose next claim starts with the base lease again.
 */
export const MAX_UNFORCED_STARTS = 4;

export function checkBlockingSteps(evidence: RoundEvidence): Violation[] {
  const { lines } = evidence.sideLog;
  const harnessHit = new Set([...evidence.killedPids, ...evidence.frozenPids]);
  /** Cut short by the harness: its process was killed or frozen before it acknowledged the attempt's outcome. */
  const forced = (start: Extract<SideLogLine, { k: "start" }>, index: number) =>
    harnessHit.has(start.pid) &&
    !lines.some((l, i) => i > index && l.k === "ack" && l.pid === start.pid && l.e === start.e && l.op === start.op && l.a === start.a && ["SUCCEEDED", "FAILED", "PENDING"].includes(l.status));
  const starts = new Map<string, { all: number; unforced: number; pids: number[] }>();
  lines.forEach((line, index) => {
    if (line.k !== "start" || !line.op.endsWith(MARK)) return;
    const entry = starts.get(line.e) ?? { all: 0, unforced: 0, pids: [] };
    entry.all += 1;
    if (!forced(line, index)) entry.unforced += 1;
    entry.pids.push(line.pid);
    starts.set(line.e, entry);
  });
  const violations: Violation[] = [];
  for (const [executionId, { all, unforced, pids }] of starts) {
    if (unforced > MAX_UNFORCED_STARTS) {
      violations.push({
        invariant: "blocking step started more often than takeovers allow",
        executionId,
        detail: `started ${all} times (pids ${pids.join(", ")}), ${unforced} of them not cut short by a kill or freeze (at most ${MAX_UNFORCED_STARTS})`,
      });
    }
  }
  return violations;
}
