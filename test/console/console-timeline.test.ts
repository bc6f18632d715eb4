import { describe, expect, it } from "vitest";
import type { OperationRecord } from "../../runtime/operation-model.js";
import { buildTimeline, type TimelineUpdate } from "../../server/console-timeline.js";

// The timeline is computed from the committed states of each operation; these histories are
// written as the engine commits them (a retried step: STARTED, PENDING with the error and the
// next attempt, READY, STARTED, SUCCEEDED).

const t0 = Date.parse("2026-12-01T10:00:00Z");
const record = (r: Partial<OperationRecord> & Pick<OperationRecord, "Id" | "Type" | "Status">, start = 0): OperationRecord => ({ StartTimestamp: new Date(t0 + start), ...r });
const update = (at: number, invocation: number, r: OperationRecord): TimelineUpdate => ({ at: t0 + at, invocation, record: r });

describe("buildTimeline", () => {
  const updates: TimelineUpdate[] = [
    update(0, 1, record({ Id: "execution", Type: "EXECUTION", Status: "STARTED" })),
    update(5, 1, record({ Id: "charge", Type: "STEP", Status: "STARTED", StepDetails: { Attempt: 1 } }, 5)),
    update(15, 1, record({ Id: "charge", Type: "STEP", Status: "PENDING", StepDetails: { Attempt: 1, Error: { ErrorMessage: "card declined" }, NextAttemptTimestamp: new Date(t0 + 1015) } }, 5)),
    update(1015, 2, record({ Id: "charge", Type: "STEP", Status: "READY" }, 5)),
    update(1020, 2, record({ Id: "charge", Type: "STEP", Status: "STARTED", StepDetails: { Attempt: 2 } }, 5)),
    update(1030, 2, record({ Id: "charge", Type: "STEP", Status: "SUCCEEDED", EndTimestamp: new Date(t0 + 1030), StepDetails: { Attempt: 2, Result: "1" } }, 5)),
    update(1031, 2, record({ Id: "fan", Type: "CONTEXT", SubType: "Map", Status: "STARTED" }, 1031)),
    update(1032, 2, record({ Id: "fan/a", ParentId: "fan", Type: "CONTEXT", SubType: "MapIteration", Status: "STARTED" }, 1032)),
    update(1033, 2, record({ Id: "fan/a/s", ParentId: "fan/a", Type: "STEP", Status: "SUCCEEDED", EndTimestamp: new Date(t0 + 1034) }, 1033)),
    update(1035, 2, record({ Id: "fan/a", ParentId: "fan", Type: "CONTEXT", SubType: "MapIteration", Status: "SUCCEEDED", EndTimestamp: new Date(t0 + 1035) }, 1032)),
    update(1036, 2, record({ Id: "fan", Type: "CONTEXT", SubType: "Map", Status: "SUCCEEDED", EndTimestamp: new Date(t0 + 1036) }, 1031)),
    update(1040, 2, record({ Id: "pause", Type: "WAIT", Status: "STARTED" }, 1040)),
    update(61040, 3, record({ Id: "pause", Type: "WAIT", Status: "SUCCEEDED", EndTimestamp: new Date(t0 + 61040) }, 1040)),
  ];
  const invocations = [
    { invocation: 1, startedAt: t0, endedAt: t0 + 16, outcome: "PENDING" as const },
    { invocation: 2, startedAt: t0 + 1016, endedAt: t0 + 1041, outcome: "PENDING" as const },
    { invocation: 3, startedAt: t0 + 61041, warm: true },
  ];
  const timeline = buildTimeline({ createdAt: t0 }, updates, invocations, t0 + 61050);

  it("draws a retried step as its attempts, with the wait between them", () => {
    const charge = timeline.rows.find((r) => r.id === "charge")!;
    expect(charge.segments).toEqual([
      { kind: "run", start: t0 + 5, end: t0 + 15, attempt: 1, outcome: "failed: card declined" },
      { kind: "retry-delay", start: t0 + 15, end: t0 + 1015 },
      { kind: "run", start: t0 + 1020, end: t0 + 1030, attempt: 2, outcome: "SUCCEEDED" },
    ]);
  });

  it("draws a wait as the time it held the execution suspended", () => {
    expect(timeline.rows.find((r) => r.id === "pause")!.segments).toEqual([{ kind: "suspended", start: t0 + 1040, end: t0 + 61040 }]);
  });

  it("nests map iterations and their steps under the map, depth-first in first-write order", () => {
    expect(timeline.rows.map((r) => [r.id, r.depth])).toEqual([
      ["execution", 0],
      ["charge", 0],
      ["fan", 0],
      ["fan/a", 1],
      ["fan/a/s", 2],
      ["pause", 0],
    ]);
  });

  it("marks an operation replayed by each later invocation that replayed from the first line, not by one that continued in memory", () => {
    // Invocation 2 replayed (not warm) after charge's first attempt, but charge had not ended then.
    expect(timeline.rows.find((r) => r.id === "charge")!.replayedIn).toEqual([]);
    expect(timeline.rows.find((r) => r.id === "fan")!.replayedIn).toEqual([]);
    const replayed = buildTimeline({ createdAt: t0 }, updates, [...invocations.slice(0, 2), { invocation: 3, startedAt: t0 + 61041 }], t0 + 61050);
    expect(replayed.rows.find((r) => r.id === "charge")!.replayedIn).toEqual([3]);
    expect(replayed.rows.find((r) => r.id === "fan/a/s")!.replayedIn).toEqual([3]);
    // The wait ended before invocation 3 began, so that replay handed back its record too; the execution itself was running.
    expect(replayed.rows.find((r) => r.id === "pause")!.replayedIn).toEqual([3]);
    expect(replayed.rows.find((r) => r.id === "execution")!.replayedIn).toEqual([]);
  });

  it("spans the axis from the execution's start to now while it runs, and keeps every invocation as a band", () => {
    expect(timeline.start).toBe(t0);
    expect(timeline.end).toBe(t0 + 61050);
    expect(timeline.bands.map((b) => [b.invocation, b.warm])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });
});
