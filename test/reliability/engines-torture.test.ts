// Two and three engine processes on one SQLite file, all claiming work; one at a time is the
// victim: killed with SIGKILL (and restarted), or frozen (SIGSTOP) past its lease and thawed
// as a zombie. No operation may get two terminal states (fencing), no execution may be stuck
// (every one ends within the settle bound after the last kill), and every invariant of the
// single-engine torture holds.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "./torture/bundle.js";
import { SAMPLE_MODES } from "./torture/handlers.js";
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

// Every mode but "blocking": a step that blocks one engine's event loop past its lease lets
// that engine, once thawed, start a step body of another execution whose lease another engine
// took over meanwhile (the zombie start issue 14's long run found: 6 violations in 81 rounds;
// the fix is an engine that starts no step body after its claim expired). Until then the mode
// runs in `npm run torture` and test/engine/blocking-step.test.ts, not in this random sample.
describe.each([2, 3])("%i engine processes on one file", (engines) => {
  it(`fence every operation to one terminal state and leave nothing stuck, one engine killed or frozen at a time (seed ${seed})`, { timeout: 300_000 }, async () => {
    const report = await runTorture({ workerPath: bundle.path, dir: join(dir, `${engines}`), seed: seed + engines, kills: 8, engines, executionsPerRound: 8, leaseMs: 1_500, settleMs: 30_000 });
    const summary = `seed ${seed + engines}: ${report.kills} kills ${JSON.stringify(report.killsByMoment)}, ${report.freezes} freezes, ${report.executions} executions, ${report.rounds} rounds, ${(report.durationMs / 1000).toFixed(1)} s`;
    console.log(`${engines} engines: ${summary}`);
    expect(report.violations, summary).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(8);
  });
});
