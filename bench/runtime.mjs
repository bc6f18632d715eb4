// npm run bench:runtime — the same durable handlers on replayable's LocalDurableTestRunner and
// on the official @aws/durable-execution-sdk-js-testing runner, in one process, with ratios.
// The official runner's skipTime installs fake timers that replace Date, performance and
// process.hrtime, so the real high-resolution clock is captured before it is installed.
import * as aws from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner as AwsRunner } from "@aws/durable-execution-sdk-js-testing";
import * as replayable from "../dist/runtime/index.js";
import { LocalDurableTestRunner as ReplayableRunner } from "../dist/testing/index.js";
import os from "node:os";

const STEPS = Number(process.env.BENCH_STEPS ?? 1000);
const realHrtime = process.hrtime.bigint;
const elapsedMs = (start) => Number(realHrtime() - start) / 1e6;

const handlers = (sdk) => ({
  [`${STEPS}-step handler`]: sdk.withDurableExecution(async (_event, ctx) => {
    let total = 0;
    for (let i = 0; i < STEPS; i++) total += await ctx.step(`step-${i}`, async () => i);
    return total;
  }),
  "60-second wait": sdk.withDurableExecution(async (_event, ctx) => {
    await ctx.wait("minute", { seconds: 60 });
    return "done";
  }),
});

async function measure(label, makeRunner, handler, expected) {
  const runner = makeRunner(handler);
  const start = realHrtime();
  const result = await runner.run({ payload: {} });
  const ms = elapsedMs(start);
  if (result.getStatus() !== "SUCCEEDED" || result.getResult() !== expected) {
    throw new Error(`${label}: unexpected outcome ${result.getStatus()} ${JSON.stringify(result.getResult())}`);
  }
  return ms;
}

async function median(run, warmups = 3, samples = 7) {
  for (let i = 0; i < warmups; i++) await run();
  const times = [];
  for (let i = 0; i < samples; i++) times.push(await run());
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)];
}

const expectedResults = { [`${STEPS}-step handler`]: (STEPS * (STEPS - 1)) / 2, "60-second wait": "done" };
const ours = handlers(replayable);
const theirs = handlers(aws);

console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"})`);
const rows = [];
for (const name of Object.keys(ours)) {
  // replayable is cheap to run: take the median of several runs after warming up the JIT.
  const replayableMs = await median(() => measure(name, (h) => new ReplayableRunner({ handlerFunction: h }), ours[name], expectedResults[name]));
  const replayableNoCheckMs = await median(() =>
    measure(name, (h) => new ReplayableRunner({ handlerFunction: h, replayCheck: false }), ours[name], expectedResults[name]),
  );
  await AwsRunner.setupTestEnvironment({ skipTime: true });
  let awsMs;
  try {
    awsMs = await measure(name, (h) => new AwsRunner({ handlerFunction: h }), theirs[name], expectedResults[name]);
  } finally {
    await AwsRunner.teardownTestEnvironment();
  }
  rows.push({
    handler: name,
    "replayable ms": replayableMs.toFixed(1),
    "replayable, no replay check ms": replayableNoCheckMs.toFixed(1),
    "official runner ms (1 run)": awsMs.toFixed(1),
    "official / replayable": `${(awsMs / replayableMs).toFixed(1)}x`,
  });
}
console.table(rows);
