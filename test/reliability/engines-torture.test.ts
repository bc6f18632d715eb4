// Two and three engine processes on one SQLite file, all claiming work; one at a time is the
// victim: killed with SIGKILL (and restarted), or frozen (SIGSTOP) past its lease and thawed
// as a zombie. No operation may get two terminal states (fencing), no execution may be stuck
// (every one ends within the settle bound after the last kill), and every invariant of the
// single-engine torture holds.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "./torture/bundle.js";
import { runTorture, tortureFilesDir } from "./torture/harness.js";

const seed = process.env.TORTURE_SEED ? Number(process.env.TORTURE_SEED) : Math.floor(Math.random() * 2 ** 31);
const dir = tortureFilesDir("replayable-engines-torture-");
let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => {
  bundle?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([2, 3])("%i engine processes on one file", (engines) => {
  it(`fence every operation to one terminal state and leave nothing stuck, one engine killed or frozen at a time (seed ${seed})`, { timeout: 300_000 }, async () => {
    const report = await runTorture({ workerPath: bundle.path, dir: join(dir, `${engines}`), seed: seed + engines, kills: 8, engines, executionsPerRound: 8, leaseMs: 1_500, settleMs: 30_000 });
    const summary = `seed ${seed + engines}: ${report.kills} kills ${JSON.stringify(report.killsByMoment)}, ${report.freezes} freezes, ${report.executions} executions, ${report.rounds} rounds, ${(report.durationMs / 1000).toFixed(1)} s`;
    console.log(`${engines} engines: ${summary}`);
    expect(report.violations, summary).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(8);
  });
});
