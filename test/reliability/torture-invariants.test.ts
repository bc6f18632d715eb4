// The crash torture's invariant checker on hand-made evidence: each invariant reports the
// violation it exists for, and accepts what crashes, stalls and zombies legitimately cause.
import { describe, expect, it } from "vitest";
import type { ExecutionRow } from "../../engine/index.js";
import type { OperationRecord } from "../../runtime/index.js";
import { checkBlockingSteps, MAX_UNFORCED_STARTS } from "./torture/blocking-mode.js";
import { checkDeadlineRaces, type DeadlineRace, type DeadlineSend } from "./torture/deadline-mode.js";
import { checkConfirmations, checkRound, type RoundEvidence } from "./torture/invariants.js";
import { recordDigest, type SideLogLine } from "./torture/side-log.js";

const E = "e1";
const at = new Date(1_000);
const step = (name: string, status: OperationRecord["Status"], attempt: number, result?: string): OperationRecord => ({
  Id: `${name}#0`,
  Name: name,
  Type: "STEP",
  SubType: "Step",
  Status: status,
  StartTimestamp: at,
  StepDetails: { Attempt: attempt, ...(result === undefined ? {} : { Result: result }) },
});
const execution = (status: OperationRecord["Status"]): OperationRecord => ({ Id: "execution", Type: "EXECUTION", Status: status, StartTimestamp: at });
const start = (op: string, a: number, pid: number, sem: "alo" | "amo" = "alo"): SideLogLine => ({ k: "start", e: E, op, a, sem, pid });
const end = (op: string, a: number, pid: number, ok = true, sem: "alo" | "amo" = "alo"): SideLogLine => ({ k: "end", e: E, op, a, sem, ok, pid });
const ack = (record: OperationRecord, pid: number): SideLogLine => ({
  k: "ack",
  e: E,
  id: record.Id,
  op: record.Name ?? record.Id,
  type: record.Type,
  status: record.Status,
  a: record.StepDetails?.Attempt ?? null,
  h: recordDigest(record),
  pid,
});
const lost = (pid: number): SideLogLine => ({ k: "lost", e: E, epoch: 1, pid });

const ok: OperationRecord[] = [execution("STARTED"), step("charge", "STARTED", 0), step("charge", "SUCCEEDED", 1, '"x"'), execution("SUCCEEDED")];
const row = (status: ExecutionRow["status"] = "SUCCEEDED", result = '"done"'): ExecutionRow => ({
  executionId: E,
  functionName: "f",
  status,
  input: "{}",
  result,
  createdAt: 0,
  updatedAt: 0,
  epoch: 1,
  invocations: 1,
});

function evidence(lines: SideLogLine[], records: OperationRecord[] = ok, more: Partial<RoundEvidence> = {}): RoundEvidence {
  return {
    executionIds: [E],
    rows: new Map([[E, row()]]),
    updates: new Map([[E, records.map((record, i) => ({ sequence: i + 1, invocation: 1, record }))]]),
    sideLog: { lines, torn: [] },
    killedPids: new Set(),
    frozenPids: new Set(),
    reference: new Map([[E, { status: "SUCCEEDED", result: '"done"' }]]),
    ...more,
  };
}
const invariantsOf = (e: RoundEvidence) => checkRound(e).map((v) => v.invariant);

describe("the torture's invariants", () => {
  it("accept a crash-free round", () => {
    expect(checkRound(evidence([start("charge", 1, 10), ack(ok[1]!, 10), end("charge", 1, 10), ack(ok[2]!, 10)]))).toEqual([]);
  });

  it("report an acknowledged checkpoint the store does not hold, timestamps included", () => {
    const later = { ...ok[2]!, EndTimestamp: new Date(2_000) };
    expect(invariantsOf(evidence([start("charge", 1, 10), end("charge", 1, 10), ack(later, 10)]))).toEqual(["acknowledged checkpoint lost"]);
  });

  it("report a step re-run after its success was acknowledged, but not by a zombie that then learns its claim was gone", () => {
    const rerun = [start("charge", 1, 10), end("charge", 1, 10), ack(ok[2]!, 10), start("charge", 1, 11), end("charge", 1, 11)];
    expect(invariantsOf(evidence(rerun, ok, { killedPids: new Set([10]) }))).toContain("step re-run after its acknowledged checkpoint");
    const zombie = [start("charge", 1, 10), end("charge", 1, 10), ack(ok[2]!, 10), start("charge", 1, 11), end("charge", 1, 11), lost(11)];
    expect(checkRound(evidence(zombie, ok, { frozenPids: new Set([11]) }))).toEqual([]);
    // ... and not one that acknowledged something of that execution before learning it.
    const notZombie = [start("charge", 1, 10), end("charge", 1, 10), ack(ok[2]!, 10), start("charge", 1, 11), ack(ok[3]!, 11), lost(11)];
    expect(invariantsOf(evidence(notZombie))).toContain("step re-run after its acknowledged checkpoint");
  });

  it("report a retry of an attempt whose failure was acknowledged", () => {
    const pending = { ...step("charge", "PENDING", 1), StepDetails: { Attempt: 1, Error: { ErrorMessage: "no" } } };
    const lines = [start("charge", 1, 10), end("charge", 1, 10, false), ack(pending, 10), start("charge", 1, 11)];
    expect(invariantsOf(evidence(lines, [...ok.slice(0, 2), pending, ...ok.slice(2)], { killedPids: new Set([10]) }))).toContain("step re-run after its acknowledged checkpoint");
  });

  it("report an at-most-once attempt started twice, even across a crash", () => {
    const records = [execution("STARTED"), step("charge", "STARTED", 0), step("charge", "SUCCEEDED", 1, '"x"'), execution("SUCCEEDED")];
    const lines = [ack(records[1]!, 10), start("charge", 1, 10, "amo"), start("charge", 1, 11, "amo"), end("charge", 1, 11, true, "amo"), ack(records[2]!, 11)];
    expect(invariantsOf(evidence(lines, records, { killedPids: new Set([10]) }))).toEqual(["at-most-once attempt started twice"]);
  });

  it("bound at-least-once starts by 1 + the starts interrupted by a kill or a superseded claim", () => {
    const crashed = [start("charge", 1, 10), start("charge", 1, 11), end("charge", 1, 11), ack(ok[2]!, 11)];
    expect(checkRound(evidence(crashed, ok, { killedPids: new Set([10]) }))).toEqual([]);
    expect(invariantsOf(evidence(crashed))).toEqual(["at-least-once attempt started more than 1 + interruptions during it"]);
    // The same process twice: its first run's claim was superseded (a stall past its lease), then it re-ran.
    const stalled = [start("charge", 1, 10), end("charge", 1, 10), lost(10), start("charge", 1, 10), end("charge", 1, 10), ack(ok[2]!, 10)];
    expect(checkRound(evidence(stalled))).toEqual([]);
    // A kill after the outcome was acknowledged interrupted nothing.
    const late = [start("charge", 1, 10), end("charge", 1, 10), ack(ok[2]!, 10), start("charge", 1, 11)];
    expect(invariantsOf(evidence(late, ok, { killedPids: new Set([10]) }))).toContain("at-least-once attempt started more than 1 + interruptions during it");
  });

  it("report a committed step success no body finished", () => {
    expect(invariantsOf(evidence([start("charge", 1, 10)], ok, { killedPids: new Set([10]) }))).toEqual(["step success committed without its body finishing"]);
  });

  it("report two terminal states of one operation, and a result written twice or never", () => {
    const twice = [...ok.slice(0, 3), step("charge", "SUCCEEDED", 1, '"y"'), execution("SUCCEEDED")];
    expect(invariantsOf(evidence([start("charge", 1, 10), end("charge", 1, 10)], twice))).toEqual(["operation has two terminal states"]);
    const ended = [...ok, execution("SUCCEEDED")];
    expect(invariantsOf(evidence([start("charge", 1, 10), end("charge", 1, 10)], ended))).toEqual(["execution result not written exactly once"]);
    const never = ok.slice(0, 3);
    expect(invariantsOf(evidence([start("charge", 1, 10), end("charge", 1, 10)], never, { rows: new Map([[E, row("RUNNING")]]) }))).toEqual([
      "execution result not written exactly once",
    ]);
  });

  it("report a result that differs from the crash-free run's", () => {
    expect(invariantsOf(evidence([start("charge", 1, 10), end("charge", 1, 10)], ok, { rows: new Map([[E, row("SUCCEEDED", '"other"')]]) }))).toEqual([
      "result differs from the crash-free run",
    ]);
  });

  it("report a torn side log line", () => {
    expect(invariantsOf({ ...evidence([start("charge", 1, 10), end("charge", 1, 10)]), sideLog: { lines: [start("charge", 1, 10), end("charge", 1, 10)], torn: ['{"k":"sta'] } })).toEqual([
      "side log line torn",
    ]);
  });

  it("report a callback confirmed to several senders, and a confirmed callback that timed out instead", () => {
    const callback = (status: OperationRecord["Status"]): OperationRecord => ({ Id: "cb#0", Type: "CALLBACK", Status: status, StartTimestamp: new Date(0) });
    const confirmed = (count: number) => new Map([["cbid", { executionId: E, operationId: "cb#0", kind: "success" as const, confirmed: count }]]);
    const applied = evidence([], [...ok, callback("STARTED"), callback("SUCCEEDED")]);
    expect(checkConfirmations(confirmed(1), applied)).toEqual([]);
    expect(checkConfirmations(confirmed(2), applied).map((v) => v.invariant)).toEqual(["callback confirmed to several senders"]);
    expect(checkConfirmations(confirmed(1), evidence([], [...ok, callback("STARTED"), callback("TIMED_OUT")])).map((v) => v.invariant)).toEqual(["confirmed callback not applied"]);
  });

  it("report a callback at the deadline whose senders were told otherwise than the execution did", () => {
    const payload = JSON.stringify("on time");
    const callback = (status: OperationRecord["Status"]): OperationRecord => ({ Id: "race-0.cbdeadline#0", Type: "CALLBACK", Status: status, StartTimestamp: new Date(0) });
    const race = (...sends: DeadlineSend[]): Map<string, DeadlineRace> => new Map([["cbid", { executionId: E, operationId: "race-0.cbdeadline#0", index: 0, deadline: 1_000, payload, sends }]]);
    const ended = (status: OperationRecord["Status"], got: unknown) => evidence([], [...ok, callback("STARTED"), callback(status)], { rows: new Map([[E, row("SUCCEEDED", JSON.stringify({ got: [got] }))]]) });
    const refused = (began: number, ended: number): DeadlineSend => ({ began, ended, delivered: false, refusal: "Callback cbid is no longer waiting: it has already timed out." });
    const delivered = (began: number): DeadlineSend => ({ began, ended: began + 5, delivered: true });
    const applied = ended("SUCCEEDED", { value: payload });
    const timedOut = ended("TIMED_OUT", { caught: "Callback timed out", name: "CallbackTimeoutError" });
    const invariants = (races: Map<string, DeadlineRace>, e: RoundEvidence) => checkDeadlineRaces(races, e).map((v) => v.detail.split(":")[0]);
    expect(checkDeadlineRaces(race(delivered(990), refused(995, 1_002)), applied)).toEqual([]);
    expect(checkDeadlineRaces(race(refused(1_000, 1_003), refused(1_050, 1_051)), timedOut)).toEqual([]);
    expect(invariants(race(delivered(990)), timedOut)).toEqual(["a sender was told delivered but the execution did not apply it"]);
    expect(invariants(race(delivered(1_000)), applied)).toEqual(["a send that began at or after the deadline was told delivered"]);
    expect(invariants(race(delivered(950), delivered(960)), applied)).toEqual(["several senders told delivered"]);
    expect(invariants(race(refused(1_010, 1_020)), applied)).toEqual(["every sender was told it no longer waits but the execution did not time it out"]);
    expect(invariants(race(refused(980, 990)), timedOut)).toEqual(["a send that ended before the deadline was refused, and no other was delivered"]);
    // A transient store error (SQLITE_BUSY while a frozen engine holds the write lock) tells the sender to retry: nothing was written.
    const busy = (began: number, ended: number): DeadlineSend => ({ began, ended, delivered: false, refusal: "round-4.sqlite is locked by another process for too long (SQLITE_BUSY); retry.", transient: true });
    expect(checkDeadlineRaces(race(busy(980, 990), busy(1_000, 1_010)), timedOut)).toEqual([]);
    expect(checkDeadlineRaces(race(delivered(990), busy(992, 1_050)), applied)).toEqual([]);
    expect(invariants(race(busy(980, 990)), applied)).toEqual(["every sender was told it no longer waits but the execution did not time it out"]);
    expect(invariants(race({ began: 980, ended: 990, delivered: false, refusal: "boom" }), timedOut)).toEqual([`a sender got an error other than "no longer waiting" or a transient store error`, "a send that ended before the deadline was refused, and no other was delivered"]);
  });

  it(`bound a blocking step's starts not cut short by a kill or freeze to ${MAX_UNFORCED_STARTS}`, () => {
    const hog = "hog.blocks";
    const starts = (pids: number[]) => pids.map((pid, i) => start(hog, i + 1, pid, "amo"));
    const five = starts([10, 11, 10, 11, 10]);
    expect(checkBlockingSteps(evidence(five)).map((v) => v.invariant)).toEqual(["blocking step started more often than takeovers allow"]);
    // Cut short by the harness: killed (or frozen) before the attempt's outcome was acknowledged.
    expect(checkBlockingSteps(evidence(five, ok, { killedPids: new Set([10]) }))).toEqual([]);
    // ... but not a start whose outcome that process acknowledged before it was killed.
    const acknowledged = [start(hog, 1, 10, "amo"), ack(step(hog, "PENDING", 1), 10), ...[11, 12, 13, 14].map((pid, i) => start(hog, i + 2, pid, "amo"))];
    expect(checkBlockingSteps(evidence(acknowledged, ok, { frozenPids: new Set([10]) })).map((v) => v.invariant)).toEqual(["blocking step started more often than takeovers allow"]);
    expect(checkBlockingSteps(evidence(starts([10, 11, 10, 11])))).toEqual([]);
  });
});
