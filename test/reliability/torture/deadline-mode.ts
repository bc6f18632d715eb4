// The torture mode "callbacks at the deadline": an execution waits on callbacks with short
// timeouts, and the harness's senders (several engines, each on its own connection) send
// their completions in a window around each callback's deadline, while workers are killed.
// The rule (issue 14, item 2): a completion counts iff it was committed before the deadline.
// So a sender is told "delivered" iff the execution applied that value: the callback ended as
// sent and the handler got the value; otherwise every sender is told it no longer waits, the
// callback TIMED_OUT, and the handler got the timeout. And no sender was told "delivered"
// for a send that began at or after the deadline, nor "timed out" for one that ended before it.
import { withDurableExecution, type OperationRecord } from "../../../runtime/index.js";
import type { Engine } from "../../../engine/index.js";
import type { RoundEvidence, Violation } from "./invariants.js";
import type { Rng } from "./rng.js";
import { caught, executionIdOf, tracked } from "./steps.js";

export interface DeadlineInput {
  tag: string;
  /** One callback per entry, awaited in turn, each with this timeout. */
  timeoutsSeconds: number[];
  sleepMs: number;
}

/** The callbacks' operation names end in this: the harness races their deadlines. */
const MARK = ".cbdeadline";

export const deadline = withDurableExecution(async (input: DeadlineInput, ctx) => {
  const e = executionIdOf(ctx);
  const got: unknown[] = [];
  for (const [i, seconds] of input.timeoutsSeconds.entries()) {
    await tracked(ctx, `before-${i}`, i % 2 ? "alo" : "amo", { value: i, sleepMs: input.sleepMs });
    try {
      const [callback] = await ctx.createCallback<string>(`race-${i}${MARK}`, { timeout: { seconds } });
      got.push({ value: await callback });
    } catch (error) {
      got.push(caught(error));
    }
  }
  return { e, got };
});

export function planDeadline(rng: Rng, tag: string, sleepMs: number): DeadlineInput {
  return { tag, timeoutsSeconds: Array.from({ length: rng.int(1, 3) }, () => rng.pick([0.4, 0.6, 0.9])), sleepMs };
}

/** How far from the deadline a sender fires: uniformly within ± this. */
const WINDOW_MS = 120;

/** One sender's attempt on a deadline callback: when it began and ended (ms, this machine's clock) and what it was told. */
export interface DeadlineSend {
  began: number;
  ended: number;
  delivered: boolean;
  refusal?: string | undefined;
  /** Refused by a transient store error ("retry": e.g. SQLITE_BUSY while a frozen engine holds the write lock): not written. */
  transient?: boolean | undefined;
}

export interface DeadlineRace {
  executionId: string;
  operationId: string;
  /** Index of the callback in the handler's `got`. */
  index: number;
  deadline: number;
  /** The completion's payload (JSON text), as the handler gets it back. */
  payload: string;
  sends: DeadlineSend[];
}

/** Callback id -> its race. */
export type DeadlineRaces = Map<string, DeadlineRace>;

export const isDeadlineCallback = (record: OperationRecord): boolean => record.Type === "CALLBACK" && record.Id.includes(MARK);

/**
 * Sends one completion per sender, each at the callback's deadline plus its own jitter within
 * ±WINDOW_MS, and records what each was told. Resolves when all have answered.
 */
export async function raceDeadline(senders: Engine[], executionId: string, record: OperationRecord, rng: Rng, races: DeadlineRaces): Promise<void> {
  const callbackId = record.CallbackDetails!.CallbackId!;
  const at = new Date(record.StartTimestamp).getTime() + record.CallbackOptions!.TimeoutSeconds! * 1000;
  const index = Number(/race-(\d+)/.exec(record.Id)![1]);
  const race: DeadlineRace = { executionId, operationId: record.Id, index, deadline: at, payload: JSON.stringify(`on time ${callbackId}`), sends: [] };
  races.set(callbackId, race);
  await Promise.all(
    senders.map(async (sender) => {
      const delay = at + rng.int(-WINDOW_MS, WINDOW_MS) - Date.now();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const began = Date.now();
      try {
        await sender.sendCallbackSuccess(callbackId, race.payload);
        race.sends.push({ began, ended: Date.now(), delivered: true });
      } catch (error) {
        race.sends.push({ began, ended: Date.now(), delivered: false, refusal: (error as Error).message, transient: (error as { transient?: unknown }).transient === true });
      }
    }),
  );
}

export function checkDeadlineRaces(races: DeadlineRaces, evidence: RoundEvidence): Violation[] {
  const violations: Violation[] = [];
  const add = (executionId: string, detail: string) => violations.push({ invariant: "callback at the deadline: sender's answer disagrees with the execution", executionId, detail });
  for (const [callbackId, race] of races) {
    const { executionId, deadline } = race;
    const delivered = race.sends.filter((s) => s.delivered);
    const final = (evidence.updates.get(executionId) ?? []).filter((u) => u.record.Id === race.operationId).at(-1)?.record;
    const row = evidence.rows.get(executionId);
    const got = row?.status === "SUCCEEDED" ? (JSON.parse(row.result!) as { got: unknown[] }).got[race.index] : undefined;
    const story = `${callbackId} (deadline ${new Date(deadline).toISOString()}): sends ${race.sends.map((s) => `[${s.began - deadline}..${s.ended - deadline}] ms ${s.delivered ? "delivered" : `refused (${s.refusal})`}`).join(", ")}; callback ended ${final?.Status ?? "never"}; handler got ${JSON.stringify(got)}`;
    if (delivered.length > 1) add(executionId, `several senders told delivered: ${story}`);
    // A sender may be told "no longer waiting", or to retry a write the store could not make now.
    const waitingRefusals = race.sends.filter((s) => !s.delivered && !s.transient);
    if (waitingRefusals.some((s) => !/no longer waiting/.test(s.refusal ?? ""))) add(executionId, `a sender got an error other than "no longer waiting" or a transient store error: ${story}`);
    if (delivered.length) {
      if (final?.Status !== "SUCCEEDED" || !gotPayload(got, race.payload)) add(executionId, `a sender was told delivered but the execution did not apply it: ${story}`);
      if (delivered.some((s) => s.began >= deadline)) add(executionId, `a send that began at or after the deadline was told delivered: ${story}`);
    } else {
      if (final?.Status !== "TIMED_OUT" || gotPayload(got, race.payload)) add(executionId, `every sender was told it no longer waits but the execution did not time it out: ${story}`);
      if (waitingRefusals.some((s) => s.ended < deadline)) add(executionId, `a send that ended before the deadline was refused, and no other was delivered: ${story}`);
    }
  }
  return violations;
}

const gotPayload = (got: unknown, payload: string): boolean => typeof got === "object" && got !== null && (got as { value?: unknown }).value === payload;
