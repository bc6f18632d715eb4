// A sample of the conformance requirements on the local engine's two targets (replayable's
// runtime, and the official SDK through fromAwsSdk), in the engine's Lambda-faithful mode on a
// virtual clock: two requirements per suite on MemoryStore, one per suite on an SQLite file,
// and one whose handler crashes its process (child processes on an SQLite file). Result,
// history and (where the requirement has them) ExpectedLogs must all match. The whole set runs with `npx tsx conformance/main.ts`.
import { existsSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { DEFAULT_REQUIREMENTS_DIR, loadRequirements, type Requirement } from "../../conformance/requirements.js";
import { describeReport, runRequirement, type RequirementReport } from "../../conformance/run.js";
import type { ConformanceTarget } from "../../conformance/target.js";
import { engineTarget, type EngineSdk } from "../../conformance/targets/engine.js";
import { toBoundaries } from "../../history/invocation-boundaries.js";
import type { ExecutionRow } from "../../engine/index.js";

// Not skipped when missing: a run without the requirements must say so, not pass quietly.
it("finds AWS's requirement files", () => {
  expect(existsSync(DEFAULT_REQUIREMENTS_DIR), `no conformance requirements at ${DEFAULT_REQUIREMENTS_DIR}; set REPLAYABLE_CONFORMANCE_DIR`).toBe(true);
});
const requirements = existsSync(DEFAULT_REQUIREMENTS_DIR) ? loadRequirements(DEFAULT_REQUIREMENTS_DIR) : [];

/** Two per suite: logs (1-7, 3-11, 3-17), early-completing and FLAT batches, callbacks out of order, a heartbeat, invokes, retries. */
const MEMORY_SAMPLE = ["1-7", "1-11", "2-1", "2-4", "3-11", "3-17", "4-13", "4-19", "5-1", "5-14", "6-6", "6-11", "7-9", "7-13", "8-12", "8-19", "9-7", "9-12"];
/** One per suite on SqliteStore: the store does not change the outcome. */
const SQLITE_SAMPLE = ["1-1", "2-2", "3-1", "4-1", "5-2", "6-1", "7-1", "8-1", "9-1"];
/** The handler calls process.exit: the engine's process really dies and a new one resumes. */
const CRASH_SAMPLE = ["3-12"];
/** Instrumentation plugins: every hook with a faulty plugin, updatedOperations, a wrapped branch, replay flags, a change. */
const PLUGIN_SAMPLE = ["10-4", "10-9", "10-12", "10-13", "10-22"];
/** Info fields the official SDK 2.4.0 lacks (conformance/DEVIATIONS.md) and replayable has: on replayable's runtime only. */
const PLUGIN_FIELDS_SAMPLE = ["10-19", "10-21", "10-23"];

const byId = (id: string): Requirement => {
  const req = requirements.find((r) => r.id === id);
  if (!req) throw new Error(`no requirement ${id} in ${DEFAULT_REQUIREMENTS_DIR}`);
  return req;
};

const expectPassed = (report: RequirementReport) => {
  expect(report.verdict, describeReport(report)).toBe("passed");
  expect(report.history, describeReport(report)).toBe("matched");
  expect(report.result === "matched" || (report.result === "not-compared" && byId(report.id).expectedResult === undefined)).toBe(true);
  expect(report.logs).toBe(byId(report.id).expectedLogs ? "matched" : "not-compared");
};

const sdks: EngineSdk[] = ["replayable", "aws"];

describe("conformance on the local engine", () => {
  describe.each(sdks)("%s runtime", (sdk) => {
    const cases: Array<[string, ConformanceTarget, string[], number]> = [
      ["MemoryStore", engineTarget({ sdk }), MEMORY_SAMPLE, 10_000],
      ["SqliteStore", engineTarget({ sdk, store: "sqlite" }), SQLITE_SAMPLE, 10_000],
      ["PostgresStore", engineTarget({ sdk, store: "postgres", postgresUrl: inject("pgUrl") }), SQLITE_SAMPLE, 10_000],
      ["crashing process", engineTarget({ sdk }), CRASH_SAMPLE, 60_000],
      ["crashing process on PostgreSQL", engineTarget({ sdk, store: "postgres", postgresUrl: inject("pgUrl") }), CRASH_SAMPLE, 60_000],
    ];
    describe.each(cases)("on %s", (_store, target, ids, timeoutMs) => {
      it.each(ids)("%s", async (id) => expectPassed(await runRequirement(byId(id), target, { timeoutMs })), timeoutMs + 5_000);
    });

    it.each(sdk === "replayable" ? [...PLUGIN_SAMPLE, ...PLUGIN_FIELDS_SAMPLE] : PLUGIN_SAMPLE)("plugin requirement %s", async (id) => {
      expectPassed(await runRequirement(byId(id), engineTarget({ sdk }), { timeoutMs: 10_000 }));
    });
  });
});

describe("invocation boundaries from the engine's records", () => {
  const execution = (status: ExecutionRow["status"]): ExecutionRow => ({
    executionId: "e",
    functionName: "f",
    status,
    input: "{}",
    createdAt: 0,
    updatedAt: 0,
    epoch: 3,
    invocations: 3,
  });

  it("turns an invocation with no end that is not the running one into a crash (Runtime.ExitError) ending at its last commit", () => {
    const rows = [
      { invocation: 1, startedAt: 100, requestId: "r1" },
      { invocation: 2, startedAt: 40_000, endedAt: 40_010, requestId: "r2", outcome: "PENDING" as const },
      { invocation: 3, startedAt: 50_000, requestId: "r3" },
    ];
    const updates = [
      { at: 100, invocation: 1 },
      { at: 120, invocation: 1 },
      { at: 40_000, invocation: 2 },
    ];
    const running = toBoundaries(rows, updates, execution("RUNNING"));
    expect(running[0]).toMatchObject({ invocation: 1, endedAt: 120, error: { ErrorType: "Runtime.ExitError" } });
    expect(running[1]).toEqual({ invocation: 2, startedAt: 40_000, endedAt: 40_010, requestId: "r2", outcome: "PENDING" });
    expect(running[2]).toEqual({ invocation: 3, startedAt: 50_000, endedAt: undefined, requestId: "r3", outcome: undefined });
    const ended = toBoundaries(rows, updates, execution("FAILED"));
    expect(ended[2]).toMatchObject({ endedAt: 50_000, error: { ErrorType: "Runtime.ExitError" } });
  });
});
