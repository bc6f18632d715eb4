// Three engine processes on one PostgreSQL database (a schema per round on the test server),
// one at a time killed with SIGKILL or frozen past its lease: the invariants of the SQLite
// torture hold on PostgresStore too (fencing, no stuck execution, every acknowledged
// checkpoint in the history). The long run: npm run torture -- --store postgres --engines 3.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "./torture/bundle.js";
import { runTorture } from "./torture/harness.js";

const seed = process.env.TORTURE_SEED ? Number(process.env.TORTURE_SEED) : Math.floor(Math.random() * 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), "replayable-pg-torture-"));
let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => {
  bundle?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("3 engine processes on one PostgreSQL database", () => {
  it(`fence every operation to one terminal state and leave nothing stuck, one engine killed or frozen at a time (seed ${seed})`, { timeout: 300_000 }, async () => {
    const report = await runTorture({ workerPath: bundle.path, dir, postgresUrl: inject("pgUrl"), seed, kills: 6, engines: 3, executionsPerRound: 8, leaseMs: 1_500, settleMs: 30_000 });
    const summary = `seed ${seed}: ${report.kills} kills ${JSON.stringify(report.killsByMoment)}, ${report.freezes} freezes, ${report.executions} executions, ${report.rounds} rounds, ${(report.durationMs / 1000).toFixed(1)} s`;
    console.log(`3 engines on PostgreSQL: ${summary}`);
    expect(report.violations, summary).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(6);
  });
});
