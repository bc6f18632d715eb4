// The compatibility scenarios (test/testing/compat/) through serve's protocol path: each handler
// runs in a worker process and checkpoints with its default LambdaClient over loopback HTTP
// (the official SDK's, or replayable's runtime/lambda), against the engine's ExecutionService
// behind server/lambda-api's endpoint, with the same expectations as on the test runners. A
// sample runs in npm test; REPLAYABLE_COMPAT_ALL=1 runs all 51 on both runtimes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { createEngine, MemoryStore } from "../../engine/index.js";
import { listen } from "../../server/lambda-api/http-server.js";
import { lambdaWorkerEnv } from "../../server/lambda-api/index.js";
import { LiveInvocations } from "../../server/lambda-api/live-invocations.js";
import { WorkerPool } from "../../server/lambda-api/worker-pool.js";
import { REPO } from "../cli/cli-build.js";
import { EngineScenarioRunner, type ScenarioHost } from "../engine/engine-scenario-runner.js";
import { scenarios } from "../testing/compat/scenarios.aws.js";
import { runScenario } from "../testing/compat-run.js";

const SAMPLE = new Set([
  "named step returns its value",
  "step retries until it succeeds",
  "createCallback failure surfaces as CallbackError",
  "waitForCallback hands the id to the submitter and returns the result",
  "invoke calls a registered function",
  "map tolerates one failure",
]);
const chosen = process.env["REPLAYABLE_COMPAT_ALL"] ? scenarios : scenarios.filter((s) => SAMPLE.has(s.name));
const dir = mkdtempSync(join(tmpdir(), "replayable-compat-serve-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(["aws", "replayable"] as const)("compatibility scenarios through serve's protocol path (%s runtime)", (sdk) => {
  const invocations = new LiveInvocations(async () => undefined);
  const version = { version: "1", engineName: "main", definition: { name: "main" } };
  let endpoint: Promise<{ server: import("node:http").Server; url: string }> | undefined;
  let pool: WorkerPool | undefined;
  const host: ScenarioHost = async (store, functions, clock) => {
    const { url } = await (endpoint ??= listen(() => invocations, 0));
    pool ??= new WorkerPool({ module: join(REPO, "test/server/compat-worker.ts"), args: [sdk], execArgv: ["--import", "tsx"], cwd: REPO, env: { ...process.env, ...lambdaWorkerEnv(url, version as never) }, output: "ignore" }, 2, `compat (${sdk})`);
    const engine = createEngine({ store, functions: { ...functions, main: invocations.functionFor(version, pool) }, pollMs: 10, clock, resumption: "replay" });
    return { engine, start: async (payload) => (await engine.start("main", { scenario: current, payload })).executionId, close: () => engine.close() };
  };
  let current = "";
  afterAll(async () => {
    pool?.close();
    const server = (await endpoint)?.server;
    if (server) await new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
  });
  for (const scenario of chosen) {
    it(scenario.name, async () => {
      current = scenario.name;
      await runScenario(scenario, () => new EngineScenarioRunner(host, () => new MemoryStore()));
    }, 30_000);
  }
});
