// The handlers the crash torture runs: steps of both semantics with and without retries,
// waits, callbacks (completed from outside by the harness), map, parallel and nested child
// contexts, and executions that fail. Every step body writes "start" and "end" lines to the
// side log (when a probe is configured: in the worker processes, not in the crash-free
// reference run) and sleeps a little, so a kill can land inside it.
//
// What a handler returns depends only on its input and on the callback outcomes, which the
// harness derives from the callback's operation id (callbackOutcomeFor): the same execution
// run crash-free gives the same result.
import { setTimeout as sleep } from "node:timers/promises";
import { withDurableExecution, type OperationRecord } from "../../../runtime/index.js";
import { blocking, planBlocking, type BlockingInput } from "./blocking-mode.js";
import { deadline, planDeadline, type DeadlineInput } from "./deadline-mode.js";
import type { Rng } from "./rng.js";
import { caught, executionIdOf, probe, tracked } from "./steps.js";

export { configureProbe } from "./steps.js";

// ---------------------------------------------------------------------------------------------
// Handlers

export interface LedgerInput {
  tag: string;
  amounts: number[];
  flakyAlo: number;
  flakyAmo: number;
  waitSeconds: number;
  sleepMs: number;
}

/** Steps of both semantics in sequence, retried steps of both semantics, a wait, a step that fails for good (caught). */
export const ledger = withDurableExecution(async (input: LedgerInput, ctx) => {
  const { sleepMs } = input;
  const charges: string[] = [];
  for (const [i, amount] of input.amounts.entries()) {
    charges.push(await tracked(ctx, `charge-${i}`, i % 2 ? "amo" : "alo", { value: `${input.tag}:${amount}`, sleepMs }));
  }
  const flakyAlo = await tracked(ctx, "flaky-alo", "alo", { value: input.flakyAlo * 10, failUntil: input.flakyAlo, sleepMs });
  const flakyAmo = await tracked(ctx, "flaky-amo", "amo", { value: input.flakyAmo * 100, failUntil: input.flakyAmo, sleepMs });
  await ctx.wait("settle", { seconds: input.waitSeconds });
  let doomed: unknown;
  try {
    doomed = await tracked(ctx, "doomed", "alo", { value: "never", failUntil: 99, maxAttempts: 2, sleepMs });
  } catch (error) {
    doomed = caught(error);
  }
  return { charges, flakyAlo, flakyAmo, doomed };
});

export interface FanoutInput {
  tag: string;
  items: number[];
  maxConcurrency: number;
  sleepMs: number;
}

/** map (items with steps, waits and retries), parallel (a step, a child context with a wait, a retried step), nested child contexts. */
export const fanout = withDurableExecution(async (input: FanoutInput, ctx) => {
  const { sleepMs } = input;
  const items = await ctx.map(
    "items",
    input.items,
    async (c, item, i) => {
      const a = await tracked(c, `item-${i}-a`, i % 2 ? "amo" : "alo", { value: item * 2, failUntil: item % 3 === 0 ? 1 : 0, sleepMs });
      if (i % 2 === 0) await c.wait(`item-${i}-pause`, { seconds: 0.1 });
      return tracked(c, `item-${i}-b`, i % 2 ? "alo" : "amo", { value: a + 1, sleepMs });
    },
    { maxConcurrency: input.maxConcurrency },
  );
  const branches = await ctx.parallel(
    "branches",
    [
      async (c) => tracked(c, "branch-0", "amo", { value: `${input.tag}-b0`, sleepMs }),
      async (c) =>
        c.runInChildContext("nest", async (k) => {
          const x = await tracked(k, "nest-a", "alo", { value: 1, sleepMs });
          await k.wait("nest-wait", { seconds: 0.15 });
          return [x, await tracked(k, "nest-b", "amo", { value: 2, failUntil: 1, sleepMs })];
        }),
      async (c) => {
        await c.wait("branch-2-wait", { seconds: 0.1 });
        return tracked(c, "branch-2", "alo", { value: `${input.tag}-b2`, failUntil: 1, sleepMs });
      },
    ],
    { maxConcurrency: 2 },
  );
  const deep = await ctx.runInChildContext("outer", async (outer) =>
    outer.runInChildContext("inner", async (inner) => [
      await tracked(inner, "deep-1", "amo", { value: input.items.length, sleepMs }),
      await tracked(inner, "deep-2", "alo", { value: input.tag, sleepMs }),
    ]),
  );
  return { items: items.getResults(), branches: branches.getResults(), deep };
});

export interface ApprovalsInput {
  tag: string;
  ghostTimeoutSeconds: number;
  sleepMs: number;
}

/**
 * Callbacks the harness completes from outside: ".cbok" ones succeed, ".cbfail" ones fail,
 * ".cbnever" ones are left to time out.
 */
export const approvals = withDurableExecution(async (input: ApprovalsInput, ctx) => {
  const { sleepMs } = input;
  const e = executionIdOf(ctx);
  const submitter = (name: string) => async () => {
    // The submitter runs as the unnamed step `<name>#0/Step#0` (at least once, never failing: attempt 1).
    const op = `${name}#0/Step#0`;
    probe?.line({ k: "start", e, op, a: 1, sem: "alo", pid: process.pid });
    await sleep(sleepMs);
    probe?.line({ k: "end", e, op, a: 1, sem: "alo", ok: true, pid: process.pid });
  };
  const [approval] = await ctx.createCallback<string>("approve.cbok", { timeout: { seconds: 120 } });
  const notified = await tracked(ctx, "notify", "amo", { value: `${input.tag} notified`, sleepMs });
  const approved = await approval;
  const reviewed = await ctx.waitForCallback<string>("review.cbok", submitter("review.cbok"), { timeout: { seconds: 120 } });
  let denied: unknown;
  try {
    const [denial] = await ctx.createCallback<string>("deny.cbfail", { timeout: { seconds: 120 } });
    denied = await denial;
  } catch (error) {
    denied = caught(error);
  }
  let ghost: unknown;
  try {
    ghost = await ctx.waitForCallback<string>("ghost.cbnever", submitter("ghost.cbnever"), { timeout: { seconds: input.ghostTimeoutSeconds } });
  } catch (error) {
    ghost = caught(error);
  }
  const archived = await tracked(ctx, "archive", "alo", { value: `${input.tag} archived`, failUntil: 1, sleepMs });
  return { notified, approved, reviewed, denied, ghost, archived };
});

export interface DoomedInput {
  tag: string;
  how: "step" | "throw";
  sleepMs: number;
}

/** An execution that fails: a step that fails for good, uncaught, or a throw in orchestration code after a wait. */
export const doomed = withDurableExecution(async (input: DoomedInput, ctx) => {
  const { sleepMs } = input;
  const prepared = await tracked(ctx, "prepare", "amo", { value: input.tag, sleepMs });
  await ctx.wait("pause", { seconds: 0.1 });
  if (input.how === "step") await tracked(ctx, "explode", "alo", { value: "never", failUntil: 99, maxAttempts: 2, sleepMs });
  throw new Error(`${prepared}: orchestration gave up`);
});

export interface InvokerInput {
  tag: string;
  n: number;
  sleepMs: number;
}

/**
 * A plain function invoked by a handler (not durable: no checkpoints of its own). It reports
 * its run as an at-least-once attempt 1 of the op "<invoke name>.plain": with several engines
 * on the store it must run once per invoke, unless a crash (or a freeze past its claim) of
 * the engine running it forced a retry.
 */
export const plainAdd = async (event: { e: string; op: string; n: number; sleepMs: number }): Promise<number> => {
  probe?.line({ k: "start", e: event.e, op: event.op, a: 1, sem: "alo", pid: process.pid });
  await sleep(event.sleepMs * 4);
  probe?.line({ k: "end", e: event.e, op: event.op, a: 1, sem: "alo", ok: true, pid: process.pid });
  return event.n + 1;
};

/** Invokes plainAdd beside a wait: the wait wakes the execution (on any engine) while the function runs. */
export const invoker = withDurableExecution(async (input: InvokerInput, ctx) => {
  const e = executionIdOf(ctx);
  const [sum] = await ctx.promise.all([ctx.invoke("add", "plainAdd", { e, op: "add.plain", n: input.n, sleepMs: input.sleepMs }), ctx.wait("tick", { seconds: 0.1 })]);
  const doubled = await tracked(ctx, "double", "amo", { value: `${input.tag} ${Number(sum) * 2}`, sleepMs: input.sleepMs });
  return { sum, doubled };
});

export const tortureHandlers = { ledger, fanout, approvals, doomed, invoker, deadline, blocking, plainAdd };
/** What the harness starts (plainAdd only runs invoked). */
export type TortureFunction = Exclude<keyof typeof tortureHandlers, "plainAdd">;

/**
 * The torture's modes: what each round's executions are drawn from (each mode weighs as many
 * draws as it has entries here). "approvals" is the concurrent callback senders' mode,
 * "invoker" the plain invokes beside a wait, "deadline" the callbacks at the deadline,
 * "blocking" the blocking steps across the lease.
 */
export const MODES: readonly TortureFunction[] = ["ledger", "ledger", "fanout", "fanout", "approvals", "doomed", "invoker", "deadline", "blocking"];

// ---------------------------------------------------------------------------------------------
// What the harness starts, and how it completes callbacks

export interface PlannedExecution {
  executionId: string;
  functionName: TortureFunction;
  input: LedgerInput | FanoutInput | ApprovalsInput | DoomedInput | InvokerInput | DeadlineInput | BlockingInput;
}

/** One execution of a mode drawn from `modes` (a blocking step blocks relative to the workers' `leaseMs`). */
export function planExecution(rng: Rng, executionId: string, modes: readonly TortureFunction[] = MODES, leaseMs = 2_000): PlannedExecution {
  const tag = `t${rng.int(0, 99_999)}`;
  const sleepMs = rng.int(2, 25);
  const functionName = rng.pick<TortureFunction>(modes);
  switch (functionName) {
    case "ledger":
      return {
        executionId,
        functionName,
        input: {
          tag,
          amounts: Array.from({ length: rng.int(2, 5) }, () => rng.int(1, 999)),
          flakyAlo: rng.int(0, 2),
          flakyAmo: rng.int(0, 2),
          waitSeconds: rng.pick([0.1, 0.2, 0.4]),
          sleepMs,
        },
      };
    case "fanout":
      return { executionId, functionName, input: { tag, items: Array.from({ length: rng.int(1, 5) }, () => rng.int(1, 30)), maxConcurrency: rng.int(1, 3), sleepMs } };
    case "approvals":
      return { executionId, functionName, input: { tag, ghostTimeoutSeconds: rng.pick([0.5, 0.8]), sleepMs } };
    case "doomed":
      return { executionId, functionName, input: { tag, how: rng.pick(["step", "throw"] as const), sleepMs } };
    case "invoker":
      return { executionId, functionName, input: { tag, n: rng.int(1, 999), sleepMs } };
    case "deadline":
      return { executionId, functionName, input: planDeadline(rng, tag, sleepMs) };
    case "blocking":
      return { executionId, functionName, input: planBlocking(rng, tag, sleepMs, leaseMs) };
  }
}

export type CallbackOutcome = { kind: "success"; result: string } | { kind: "failure"; error: { ErrorType: string; ErrorMessage: string } };

/** What the outside world answers to an open callback (nothing for ".cbnever": it times out). */
export function callbackOutcomeFor(record: OperationRecord): CallbackOutcome | undefined {
  if (record.Id.includes(".cbok")) return { kind: "success", result: JSON.stringify(`approved ${record.Id}`) };
  if (record.Id.includes(".cbfail")) return { kind: "failure", error: { ErrorType: "Rejected", ErrorMessage: `rejected ${record.Id}` } };
  return undefined;
}
