// `npm run bench:serve`: `replayable serve` on SqliteStore (WAL, synchronous=FULL), driven by
// @aws-sdk/client-lambda over loopback HTTP; the function (bench/serve-handler.mjs, replayable's
// runtime) runs in worker processes and checkpoints over HTTP.
//  1. checkpoint round-trip (p50, p99): each CheckpointDurableExecution call as the function's
//     client sees it, for a handler of sequential steps (one call per step: START and SUCCEED
//     go together), after one unmeasured warm-up invocation of as many steps. Baseline in the same run: a bare better-sqlite3 one-row transaction with
//     the same pragmas (the fsync'd commit inside every checkpoint).
//  2. steps per second for 1 execution and for 50 at once (Event invokes), from the first
//     Invoke to the last execution's end. Baseline in the same run: the same handler on the
//     engine in-process (no HTTP, no worker), the figure bench:engine measures.
//     Beside it, where a checkpoint's time goes (p50s): the HTTP exchange as the function's
//     process sees it and the client's own work around it (the call minus the exchange), and
//     in serve the time from request to answer, of which the store's commit (the fsync).
// Each part runs --runs times (default 3) and prints the median of the runs, with the load
// average (the machine may be shared).
// Options: --steps N (part 1, default 2000), --workers N (per function, default 8), --runs N.
import { subscribe } from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetDurableExecutionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { createEngine, SqliteStore } from "replayable/engine";
import { withDurableExecution } from "replayable";
import { startLambdaServer } from "../dist/server/lambda-api/index.js";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option("steps", 2000);
const WORKERS = option("workers", 8);
const RUNS = option("runs", 3);
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "replayable-bench-serve-"));
let files = 0;
const sqlite = () => SqliteStore.open(join(dir, `bench-${++files}.sqlite`));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(3)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`;
const payload = (value) => Buffer.from(JSON.stringify(value));

function bareCommitP50() {
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const db = new Database(join(dir, `bare-${++files}.sqlite`));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const commit = db.transaction((v) => insert.run(v));
  const times = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    commit(`value ${i}`);
    times.push(performance.now() - t);
  }
  db.close();
  return percentile(times.sort((a, b) => a - b), 50);
}

async function inProcessStepsPerSecond(executions, steps) {
  const store = sqlite();
  const handler = withDurableExecution(async (event, context) => {
    for (let i = 0; i < event.count; i++) await context.step(`s${i}`, async () => i);
    return event.count;
  });
  const engine = createEngine({ store, functions: { bench: handler }, resumption: "replay" });
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: executions }, () => engine.start("bench", { count: steps }).then((e) => e.executionId)));
  await Promise.all(ids.map((id) => engine.waitForExecution(id)));
  const elapsed = performance.now() - started;
  await engine.close();
  await store.close();
  return (executions * steps) / (elapsed / 1000);
}

/** serve's side of each checkpoint (this process hosts it): request to answer, and the store's commits, in ms. */
const served = { handling: [], commits: [] };
const received = new WeakMap();
subscribe("http.server.request.start", ({ request }) => received.set(request, performance.now()));
subscribe("http.server.response.finish", ({ request }) => {
  if (request.url.endsWith("/checkpoint")) served.handling.push(performance.now() - received.get(request));
});

async function withServer(body) {
  const store = sqlite();
  const commit = store.commit.bind(store);
  store.commit = async (batch) => {
    const started = performance.now();
    try {
      return await commit(batch);
    } finally {
      served.commits.push(performance.now() - started);
    }
  };
  const server = await startLambdaServer({
    store,
    port: 0,
    workersPerFunction: WORKERS,
    functions: [{ name: "bench", file: join(here, "serve-handler.mjs"), exportName: "handler", durableConfig: {}, versions: ["1"], aliases: {} }],
    workerCommand: (version) => ({
      module: join(here, "../dist/cli/serve-worker.js"),
      args: [JSON.stringify({ cwd: here, file: version.definition.file, exportName: version.definition.exportName })],
      cwd: here,
    }),
  });
  const client = new LambdaClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  try {
    return await body(client);
  } finally {
    client.destroy();
    await server.close();
    await store.close();
  }
}

async function serveStepsPerSecond(client, executions, steps) {
  // Warm the workers first, as a warm Lambda environment would be.
  await Promise.all(Array.from({ length: Math.min(executions, WORKERS) }, () => client.send(new InvokeCommand({ FunctionName: "bench:1", Payload: payload({ count: 1 }) }))));
  const started = performance.now();
  const arns = await Promise.all(
    Array.from({ length: executions }, async () => (await client.send(new InvokeCommand({ FunctionName: "bench:1", InvocationType: "Event", Payload: payload({ count: steps }) }))).DurableExecutionArn),
  );
  for (const arn of arns) {
    for (;;) {
      const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
      if (execution.Status === "SUCCEEDED") break;
      if (execution.Status !== "RUNNING") throw new Error(`bench execution ${execution.Status}: ${JSON.stringify(execution.Error)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  return (executions * steps) / ((performance.now() - started) / 1000);
}

try {
  console.log(`bench:serve on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${load()}`);
  await withServer(async (client) => {
    // A warm-up invocation first, not measured: serve's and the worker's code reach V8's
    // optimised tiers and the store's WAL its steady size (bench:engine skips its first steps too).
    await client.send(new InvokeCommand({ FunctionName: "bench:1", Payload: payload({ count: STEPS }) }));
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const bare = bareCommitP50();
      served.handling.length = 0;
      served.commits.length = 0;
      const answer = await client.send(new InvokeCommand({ FunctionName: "bench:1", Payload: payload({ count: STEPS, timings: true }) }));
      const { timings, exchanges } = JSON.parse(Buffer.from(answer.Payload).toString("utf8"));
      const p50 = (values) => percentile([...values].sort((a, b) => a - b), 50);
      const sorted = [...timings].sort((a, b) => a - b);
      runs.push({
        count: timings.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        bare,
        ratio: percentile(sorted, 50) / bare,
        exchange: p50(exchanges),
        clientWork: p50(timings.map((t, i) => t - exchanges[i])),
        handling: p50(served.handling),
        commit: p50(served.commits),
      });
    }
    const p50 = median(runs.map((r) => r.p50));
    console.log(`1. checkpoint round-trip over loopback HTTP (${runs[0].count} checkpoints per run, median of ${RUNS} runs): p50 ${ms(p50)}, p99 ${ms(median(runs.map((r) => r.p99)))} (target p50 < 2 ms; ${load()})`);
    console.log(`   runs' p50: ${runs.map((r) => ms(r.p50)).join(", ")}`);
    console.log(`   baseline: bare SQLite FULL transaction p50 ${ms(median(runs.map((r) => r.bare)))}; ratio ${median(runs.map((r) => r.ratio)).toFixed(1)}× (median of the runs' ratios)`);
    const part = (key) => ms(median(runs.map((r) => r[key])));
    console.log(`   where it goes (p50s, median of the runs): HTTP exchange ${part("exchange")} + the client's own work ${part("clientWork")}; in serve, request to answer ${part("handling")}, of which the store's commit ${part("commit")}`);
    for (const [executions, steps] of [[1, 500], [50, 50]]) {
      const served = [];
      const inProcess = [];
      for (let run = 0; run < RUNS; run++) {
        served.push(await serveStepsPerSecond(client, executions, steps));
        inProcess.push(await inProcessStepsPerSecond(executions, steps));
      }
      const [s, e] = [median(served), median(inProcess)];
      console.log(`2. steps/s, ${executions} execution${executions === 1 ? "" : "s"} × ${steps} steps, median of ${RUNS} runs: serve ${s.toFixed(0)}, engine in-process ${e.toFixed(0)} (serve / in-process ${(s / e).toFixed(2)}×; ${load()})`);
    }
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
