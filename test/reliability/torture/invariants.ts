// The invariants a torture round must hold, checked from evidence gathered after it: the side
// log (what the step bodies and workers wrote, in order), the store's update history, the
// executions' final rows, which worker processes were killed, and a crash-free reference run.
import { isDeepStrictEqual } from "node:util";
import type { ErrorObject, OperationRecord } from "../../../runtime/index.js";
import type { ExecutionRow } from "../../../engine/index.js";
import { recordDigest, type SideLogLine } from "./side-log.js";

export interface Violation {
  invariant:
    | "side log line torn"
    | "acknowledged checkpoint lost"
    | "step re-run after its acknowledged checkpoint"
    | "at-most-once attempt started twice"
    | "at-least-once attempt started more than 1 + interruptions during it"
    | "step success committed without its body finishing"
    | "execution result not written exactly once"
    | "operation has two terminal states"
    | "result differs from the crash-free run"
    | "execution stuck"
    | "worker exited unexpectedly"
    | "crash-free reference run failed"
    | "callback confirmed to several senders"
    | "confirmed callback not applied"
    | "callback at the deadline: sender's answer disagrees with the execution"
    | "blocking step started more often than takeovers allow";
  executionId?: string | undefined;
  detail: string;
}

export interface ExecutionOutcome {
  status: ExecutionRow["status"];
  result?: string | undefined;
  error?: ErrorObject | undefined;
}

export interface RoundEvidence {
  executionIds: string[];
  rows: Map<string, ExecutionRow | undefined>;
  updates: Map<string, Array<{ sequence: number; invocation: number; record: OperationRecord }>>;
  sideLog: { lines: SideLogLine[]; torn: string[] };
  /** Worker processes that died by SIGKILL (by the harness or by their own hand). */
  killedPids: ReadonlySet<number>;
  /**
   * Worker processes frozen (SIGSTOP) for longer than their lease, then thawed: another engine
   * took their work over, and what they were in the middle of runs on as a zombie whose
   * commits the store must refuse (fencing, checked from the history).
   */
  frozenPids: ReadonlySet<number>;
  reference: Map<string, ExecutionOutcome>;
}

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "STOPPED"]);
type Start = Extract<SideLogLine, { k: "start" }>;

export function checkRound(evidence: RoundEvidence): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Violation["invariant"], executionId: string | undefined, detail: string) => violations.push({ invariant, executionId, detail });
  const { lines } = evidence.sideLog;
  for (const torn of evidence.sideLog.torn) add("side log line torn", undefined, JSON.stringify(torn));

  // Every acknowledged checkpoint is in the store's history, exactly as acknowledged.
  const committed = new Map<string, Set<string>>();
  for (const [executionId, updates] of evidence.updates) committed.set(executionId, new Set(updates.map((u) => `${u.record.Id}\u0000${recordDigest(u.record)}`)));
  for (const line of lines) {
    if (line.k !== "ack") continue;
    if (!committed.get(line.e)?.has(`${line.id}\u0000${line.h}`)) {
      const same = evidence.updates.get(line.e)?.filter((u) => u.record.Id === line.id && u.record.Status === line.status).length ?? 0;
      add(
        "acknowledged checkpoint lost",
        line.e,
        `${line.type} ${line.id} ${line.status}${line.a === null ? "" : ` (attempt ${line.a})`} was reported committed to worker ${line.pid} but that state is not in the store's history` +
          (same ? ` (${same} other ${line.status} state(s) of it are: committed later, after a restart)` : ""),
      );
    }
  }

  // Where each process acknowledged what, and where it learnt that a claim of its was superseded.
  const acksOf = new Map<string, number[]>(); // execution + pid: any acknowledged state
  const outcomeAcksOf = new Map<string, number[]>(); // attempt + pid: the attempt's outcome (SUCCEEDED, FAILED, PENDING)
  const lostOf = new Map<string, number[]>(); // execution + pid
  const lostDispatchOf = new Map<string, number[]>(); // execution + pid: a plain invoke's dispatch claim
  const push = (map: Map<string, number[]>, key: string, index: number) => map.set(key, [...(map.get(key) ?? []), index]);
  lines.forEach((line, index) => {
    if (line.k === "ack") {
      push(acksOf, `${line.e}\u0000${line.pid}`, index);
      if (line.type === "STEP" && line.a !== null && (line.status === "SUCCEEDED" || line.status === "FAILED" || line.status === "PENDING")) {
        push(outcomeAcksOf, `${attemptKey(line.e, line.op, line.a)}\u0000${line.pid}`, index);
      }
    } else if (line.k === "lost") push(line.op === undefined ? lostOf : lostDispatchOf, `${line.e}\u0000${line.pid}`, index);
  });
  const firstAfter = (list: number[] | undefined, index: number) => list?.find((i) => i > index) ?? Infinity;
  /**
   * The process that started this body at `index` was interrupted before its outcome was
   * committed: it was killed, or told its claim was superseded (a stall past its lease, a
   * freeze), and it acknowledged no outcome for this attempt before that.
   */
  const interruptedStart = (start: Start, index: number): boolean => {
    const outcome = firstAfter(outcomeAcksOf.get(`${attemptKey(start.e, start.op, start.a)}\u0000${start.pid}`), index);
    const lost = Math.min(firstAfter(lostOf.get(`${start.e}\u0000${start.pid}`), index), start.op.endsWith(".plain") ? firstAfter(lostDispatchOf.get(`${start.e}\u0000${start.pid}`), index) : Infinity);
    // A process frozen past its lease counts as crashed for what it never finished (its claims expired).
    return lost < outcome || (outcome === Infinity && (evidence.killedPids.has(start.pid) || evidence.frozenPids.has(start.pid)));
  };
  /** Started under a claim that was already superseded: nothing acknowledged to it for that execution until it learnt so. */
  const staleClaim = (start: Start, index: number): boolean => {
    const lost = firstAfter(lostOf.get(`${start.e}\u0000${start.pid}`), index);
    const acked = firstAfter(acksOf.get(`${start.e}\u0000${start.pid}`), index);
    if (lost < Infinity) return lost < acked;
    // A thawed zombie killed before its first refused commit.
    return evidence.frozenPids.has(start.pid) && evidence.killedPids.has(start.pid) && acked === Infinity;
  };

  // No step body starts again after its outcome was acknowledged: after SUCCEEDED or FAILED
  // never again, after PENDING/READY of attempt A never an attempt <= A. Not held against a
  // zombie (a process whose claim had been superseded while it stalled or was frozen): what
  // its stale invocation had reached still runs, but nothing it writes is committed (fencing,
  // checked from the history), and its start counts as an interrupted one below.
  const blocked = new Map<string, { all: boolean; upTo: number; because: string }>();
  lines.forEach((line, index) => {
    if (line.k === "ack" && line.type === "STEP") {
      const key = opKey(line.e, line.op);
      const current = blocked.get(key) ?? { all: false, upTo: 0, because: "" };
      if (line.status === "SUCCEEDED" || line.status === "FAILED") blocked.set(key, { all: true, upTo: current.upTo, because: `${line.status} (attempt ${line.a}) acknowledged to ${line.pid}` });
      else if ((line.status === "PENDING" || line.status === "READY") && (line.a ?? 0) > current.upTo) {
        blocked.set(key, { all: current.all, upTo: line.a ?? 0, because: `${line.status} after attempt ${line.a} acknowledged to ${line.pid}` });
      }
    } else if (line.k === "start") {
      const block = blocked.get(opKey(line.e, line.op));
      if (block && (block.all || line.a <= block.upTo) && !staleClaim(line, index)) {
        add("step re-run after its acknowledged checkpoint", line.e, `step ${line.op} attempt ${line.a} started in ${line.pid} after ${block.because}`);
      }
    }
  });

  // Starts per attempt: at most once for at-most-once steps; for at-least-once, at most once
  // plus once for every start that was interrupted before its outcome was committed.
  const starts = new Map<string, Array<{ start: Start; index: number }>>();
  lines.forEach((line, index) => {
    if (line.k === "start") {
      const key = attemptKey(line.e, line.op, line.a);
      starts.set(key, [...(starts.get(key) ?? []), { start: line, index }]);
    }
  });
  for (const list of starts.values()) {
    const first = list[0]!.start;
    const where = `step ${first.op} attempt ${first.a} started ${list.length} times (pids ${list.map((s) => s.start.pid).join(", ")})`;
    if (first.sem === "amo") {
      if (list.length > 1) add("at-most-once attempt started twice", first.e, where);
    } else {
      const interruptions = list.filter(({ start, index }) => interruptedStart(start, index)).length;
      if (list.length > 1 + interruptions) add("at-least-once attempt started more than 1 + interruptions during it", first.e, `${where}; interrupted starts: ${interruptions}`);
    }
  }

  // A committed step success comes from a body that ran to its end.
  const endedOk = new Set(lines.filter((l): l is Extract<SideLogLine, { k: "end" }> => l.k === "end" && l.ok).map((l) => attemptKey(l.e, l.op, l.a)));
  for (const [executionId, updates] of evidence.updates) {
    for (const { record } of updates) {
      if (record.Type !== "STEP" || record.Status !== "SUCCEEDED") continue;
      const attempt = record.StepDetails?.Attempt ?? 0;
      if (!endedOk.has(attemptKey(executionId, record.Name ?? record.Id, attempt))) {
        add("step success committed without its body finishing", executionId, `step ${record.Id} SUCCEEDED at attempt ${attempt}, but no body logged its successful end for that attempt`);
      }
    }
  }

  for (const executionId of evidence.executionIds) {
    const updates = evidence.updates.get(executionId) ?? [];
    // Fencing: one terminal state per operation, never changed.
    const terminal = new Map<string, OperationRecord[]>();
    for (const { record } of updates) if (TERMINAL.has(record.Status)) terminal.set(record.Id, [...(terminal.get(record.Id) ?? []), record]);
    for (const [id, states] of terminal) {
      if (id !== "execution" && states.length > 1) add("operation has two terminal states", executionId, `${id}: ${states.map(describeState).join(" then ")}`);
    }
    const ends = terminal.get("execution") ?? [];
    const row = evidence.rows.get(executionId);
    if (ends.length !== 1 || !row || row.status === "RUNNING") {
      add("execution result not written exactly once", executionId, `${ends.length} terminal EXECUTION updates (${ends.map(describeState).join(", ")}); row status ${row?.status ?? "missing"}`);
    }
    const expected = evidence.reference.get(executionId);
    if (row && row.status !== "RUNNING" && expected && !sameOutcome(row, expected)) {
      add("result differs from the crash-free run", executionId, `got ${describeOutcome(row)}, crash-free run gave ${describeOutcome(expected)}`);
    }
  }
  return violations;
}

function sameOutcome(actual: ExecutionOutcome, expected: ExecutionOutcome): boolean {
  if (actual.status !== expected.status) return false;
  if (actual.status === "SUCCEEDED") return isDeepStrictEqual(parse(actual.result), parse(expected.result));
  const strip = (e: ErrorObject | undefined) => ({ type: e?.ErrorType, message: e?.ErrorMessage, data: e?.ErrorData });
  return isDeepStrictEqual(strip(actual.error), strip(expected.error));
}

const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));
const describeOutcome = (o: ExecutionOutcome): string => (o.status === "SUCCEEDED" ? `SUCCEEDED ${o.result}` : `${o.status} ${o.error?.ErrorType}: ${o.error?.ErrorMessage}`);
const describeState = (r: OperationRecord): string =>
  `${r.Status}${r.StepDetails ? ` ${JSON.stringify({ attempt: r.StepDetails.Attempt, result: r.StepDetails.Result, error: r.StepDetails.Error?.ErrorMessage })}` : ""}`;
const opKey = (e: string, op: string) => `${e}\u0000${op}`;
const attemptKey = (e: string, op: string, a: number) => `${e}\u0000${op}\u0000${a}`;

/** Callback id -> what the senders sent and how many of them were told it was delivered. */
export type Confirmations = Map<string, { executionId: string; operationId: string; kind: "success" | "failure"; confirmed: number }>;

/** Every callback a sender was told was delivered was delivered once and applied: its operation ended as sent, not timed out. */
export function checkConfirmations(confirmations: Confirmations, evidence: RoundEvidence): Violation[] {
  const violations: Violation[] = [];
  for (const [callbackId, { executionId, operationId, kind, confirmed }] of confirmations) {
    if (confirmed > 1) violations.push({ invariant: "callback confirmed to several senders", executionId, detail: `${callbackId}: ${confirmed} senders were told it was delivered` });
    if (confirmed === 0) continue;
    const updates = evidence.updates.get(executionId) ?? [];
    const final = updates.filter((u) => u.record.Id === operationId).at(-1)?.record.Status;
    const expected = kind === "success" ? "SUCCEEDED" : "FAILED";
    if (final !== expected) violations.push({ invariant: "confirmed callback not applied", executionId, detail: `${callbackId}: a sender was told it was delivered (${kind}), the operation ended ${final ?? "never"}` });
  }
  return violations;
}

