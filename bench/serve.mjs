// `npm run bench:serve`: `replayable serve` on SqliteStore (WAL, synchronous=FULL), driven by
// @aws-sdk/client-lambda over loopback HTTP; the function (bench/serve-handler.mjs, replayable's
// runtime) runs in worker processes and checkpoints over HTTP.
//  1. checkpoint round-trip (p50, p99): each CheckpointDurableExecution call as the function's
//     client sees it, for a handler of sequential steps (one call per step: START and SUCCEED
//     go together). Baseline in the same run: a bare better-sqlite3 one-row transaction with
//     the same pragmas (the fsync'd commit inside every checkpoint).
//  2. steps per second for 1 execution and for 50 at once (Event invokes), from the first
//     Invoke to the last execution's end. Baseline in the same run: the same handler on the
//     engine in-process (no HTTP, no worker), the figure bench:engine measures.
// Options: --steps N (part 1, default 2000), --workers N (per function, default 8).
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
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "replayable-bench-serve-"));
let files = 0;
const sqlite = () => SqliteStore.open(join(dir, `bench-${++files}.sqlite`));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(3)} ms`;
const payload = (value) => Buffer.from(JSON.stringify(value));

function bareCommitP50() {
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const db = new Database(join(dir, "bare.sqlite"));
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

async function withServer(body) {
  const store = sqlite();
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
  console.log(`bench:serve on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const bare = bareCommitP50();
  await withServer(async (client) => {
    const answer = await client.send(new InvokeCommand({ FunctionName: "bench:1", Payload: payload({ count: STEPS, timings: true }) }));
    const timings = JSON.parse(Buffer.from(answer.Payload).toString("utf8")).sort((a, b) => a - b);
    const p50 = percentile(timings, 50);
    console.log(`1. checkpoint round-trip over loopback HTTP (${timings.length} checkpoints): p50 ${ms(p50)}, p99 ${ms(percentile(timings, 99))} (target p50 < 2 ms)`);
    console.log(`   baseline: bare SQLite FULL transaction p50 ${ms(bare)}; ratio ${(p50 / bare).toFixed(1)}×`);
    for (const [executions, steps] of [[1, 500], [50, 50]]) {
      const served = await serveStepsPerSecond(client, executions, steps);
      const inProcess = await inProcessStepsPerSecond(executions, steps);
      console.log(`2. steps/s, ${executions} execution${executions === 1 ? "" : "s"} × ${steps} steps: serve ${served.toFixed(0)}, engine in-process ${inProcess.toFixed(0)} (serve / in-process ${(served / inProcess).toFixed(2)}×)`);
    }
  });
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
