// `npm run bench:engine`: the local engine on SqliteStore.
//  1. durable step checkpoint latency (p50, p99): the time from one step body's start to the
//     next one's in a handler of sequential steps, each waiting for its checkpoint to be
//     durable (WAL, synchronous=FULL). Baselines in the same run: the same handler on
//     MemoryStore, and a bare better-sqlite3 one-row transaction with the same pragmas.
//  2. steps per second for 1 and for 50 concurrent executions (group commit).
//  3. step-to-step overhead at step 10,000 against step 10 for a handler with a wait between
//     steps (no quadratic replay: a woken handler resumes in memory).
// Parts 1 and 2 run --runs times (default 3) and print the median of the runs; the load
// average is printed with each part (the machine may be shared).
// Options: --steps N (part 1, default 2000), --long N (part 3, default 10100), --runs N.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, MemoryStore, SqliteStore } from "replayable/engine";
import { withDurableExecution } from "replayable";

const args = process.argv.slice(2);
// --store postgres: the same measures on PostgresStore (bench/engine-postgres.mjs).
if (args[args.indexOf("--store") + 1] === "postgres" && args.includes("--store")) {
  await import("./engine-postgres.mjs");
  process.exit(0);
}
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option("steps", 2000);
const LONG = option("long", 10_100);
const RUNS = option("runs", 3);
const dir = mkdtempSync(join(tmpdir(), "replayable-bench-engine-"));
let files = 0;
const sqlite = () => SqliteStore.open(join(dir, `bench-${++files}.sqlite`));

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(3)} ms`;
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Runs `measure` RUNS times; each field of the result is the median of the runs'. */
async function medianOfRuns(measure) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure());
  const merge = (items) => (typeof items[0] === "number" ? median(items) : Object.fromEntries(Object.keys(items[0]).map((k) => [k, merge(items.map((x) => x[k]))])));
  return merge(runs);
}

/** A handler of `count` sequential steps that records when each body starts. */
function sequentialSteps(marks, { waitBetween = false } = {}) {
  return withDurableExecution(async (event, context) => {
    for (let i = 0; i < event.count; i++) {
      await context.step(`s${i}`, async () => {
        marks.push(performance.now());
        return i;
      });
      if (waitBetween) await context.wait(`w${i}`, { seconds: 0 });
    }
    return event.count;
  });
}

async function runOne(makeStore, handler, input, engineOptions = {}) {
  const store = makeStore();
  const engine = createEngine({ store, functions: { bench: handler }, ...engineOptions });
  const started = performance.now();
  const execution = await engine.start("bench", input);
  const done = await engine.waitForExecution(execution.executionId);
  const elapsed = performance.now() - started;
  await engine.close();
  await store.close();
  if (done.status !== "SUCCEEDED") throw new Error(`bench execution failed: ${JSON.stringify(done.error)}`);
  return elapsed;
}

function gaps(marks) {
  const result = [];
  for (let i = 1; i < marks.length; i++) result.push(marks[i] - marks[i - 1]);
  return result;
}

async function checkpointLatency() {
  const results = {};
  for (const [name, makeStore] of [["SqliteStore", sqlite], ["MemoryStore", () => new MemoryStore()]]) {
    const marks = [];
    await runOne(makeStore, sequentialSteps(marks), { count: STEPS });
    const sorted = gaps(marks).slice(10).sort((a, b) => a - b); // skip the warm-up
    results[name] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  }
  // The floor: what one durable transaction costs on this disk.
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const db = new Database(join(dir, `floor-${++files}.sqlite`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const t = performance.now();
    db.transaction(() => insert.run("x".repeat(200)))();
    times.push(performance.now() - t);
  }
  db.close();
  times.sort((a, b) => a - b);
  results.floor = { p50: percentile(times, 50), p99: percentile(times, 99) };
  return results;
}

async function throughput() {
  const perExecution = Math.max(20, Math.floor(STEPS / 10));
  const single = await runOne(sqlite, sequentialSteps([]), { count: STEPS });
  const store = sqlite();
  const handler = sequentialSteps([]);
  const engine = createEngine({ store, functions: { bench: handler } });
  const started = performance.now();
  const executions = await Promise.all(Array.from({ length: 50 }, () => engine.start("bench", { count: perExecution })));
  await Promise.all(executions.map((e) => engine.waitForExecution(e.executionId)));
  const concurrent = performance.now() - started;
  await engine.close();
  await store.close();
  return { one: (STEPS / single) * 1000, fifty: ((50 * perExecution) / concurrent) * 1000 };
}

async function longHandler() {
  const marks = [];
  await runOne(sqlite, sequentialSteps(marks, { waitBetween: true }), { count: LONG });
  const window = (from) => {
    const slice = gaps(marks.slice(from, from + 101));
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  };
  const early = window(10);
  const late = window(Math.min(10_000, LONG - 101));
  return { early, late, lateStep: Math.min(10_000, LONG - 101) };
}

console.log(`bench:engine on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${load()}\n`);
try {
  const latency = await medianOfRuns(async () => {
    const run = await checkpointLatency();
    return { ...run, ratio: run.SqliteStore.p50 / run.floor.p50 };
  });
  console.log(`1. step checkpoint latency, ${STEPS} sequential steps, median of ${RUNS} runs (target: SqliteStore p50 <= 1.3x the floor; ${load()})`);
  for (const [name, { p50, p99 }] of Object.entries(latency).filter(([name]) => name !== "ratio")) {
    const label = name === "floor" ? "bare SQLite txn (floor)" : name;
    console.log(`   ${label.padEnd(24)} p50 ${ms(p50)}  p99 ${ms(p99)}`);
  }
  console.log(`   SqliteStore / floor p50: ${latency.ratio.toFixed(2)}x (median of the runs' ratios); SqliteStore / MemoryStore p50: ${(latency.SqliteStore.p50 / latency.MemoryStore.p50).toFixed(2)}x`);

  const rate = await medianOfRuns(throughput);
  console.log(`\n2. steps per second on SqliteStore, median of ${RUNS} runs (target: 50 executions >= 15,000; ${load()})`);
  console.log(`   1 execution:    ${rate.one.toFixed(0)} steps/s`);
  console.log(`   50 executions:  ${rate.fifty.toFixed(0)} steps/s  (${(rate.fifty / rate.one).toFixed(2)}x the single execution: group commit)`);

  const long = await longHandler();
  console.log(`\n3. step + wait(0) pairs, ${LONG} of them (target: late / early <= 1.5x; ${load()})`);
  console.log(`   around step 10:       ${ms(long.early)} per pair`);
  console.log(`   around step ${long.lateStep}: ${ms(long.late)} per pair`);
  console.log(`   ratio ${(long.late / long.early).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
