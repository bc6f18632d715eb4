// The crash torture, short version (`npm run torture -- --kills 10000` runs the long one): one
// engine process on an SQLite file, killed with SIGKILL at random moments and at chosen ones
// (right after a step body starts or ends, right after a checkpoint is acknowledged) and
// restarted until every execution has ended; then every invariant of torture/invariants.ts is
// checked against the side log, the store's history and a crash-free run.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleWorker, type WorkerBundle } from "./torture/bundle.js";
import { runTorture, tortureFilesDir } from "./torture/harness.js";

const seed = process.env.TORTURE_SEED ? Number(process.env.TORTURE_SEED) : Math.floor(Math.random() * 2 ** 31);
const dir = tortureFilesDir("replayable-crash-torture-");
let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(() => {
  bundle?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it(`loses no acknowledged checkpoint, runs no step more than its semantics allow, and writes each result once, through 50 kills (seed ${seed})`, { timeout: 300_000 }, async () => {
  const report = await runTorture({ workerPath: bundle.path, dir, seed, kills: 50, engines: 1, executionsPerRound: 10, keepFiles: false });
  const summary = `seed ${seed}: ${report.kills} kills ${JSON.stringify(report.killsByMoment)}, ${report.executions} executions, ${report.rounds} rounds, ${(report.durationMs / 1000).toFixed(1)} s`;
  console.log(`crash torture: ${summary}`);
  expect(report.violations, summary).toEqual([]);
  expect(report.kills).toBeGreaterThanOrEqual(50);
  expect(Object.keys(report.killsByMoment).length, summary).toBeGreaterThanOrEqual(3);
});
