// Two targets through `replayable serve`'s protocol path: the handler runs in a worker process
// (as on Lambda, one process per environment, reused) and checkpoints with its own default
// LambdaClient over loopback HTTP to the server's endpoint, which routes each call to the
// ExecutionService of the invocation in progress (server/lambda-api/live-invocations.ts):
//
// - "serve-replayable": the handler on replayable's runtime (its AWS SDK import mapped to
//   replayable), answering Lambda's durable invocation events (runtime/lambda/);
// - "serve-aws-sdk": the handler on the official SDK, unchanged.
//
// The engine is driven as in the engine targets (engine.ts: a virtual clock, callback actions),
// so the history, the result and the error are compared the same way. The endpoint also answers
// GetDurableExecutionHistory of the run in progress (history-endpoint.ts). What the workers print
// is not captured: ExpectedLogs are not compared here.
import type { Server } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { MemoryStore } from "../../engine/index.js";
import { listen } from "../../server/lambda-api/http-server.js";
import { lambdaWorkerEnv } from "../../server/lambda-api/index.js";
import { LiveInvocations } from "../../server/lambda-api/live-invocations.js";
import { WorkerPool } from "../../server/lambda-api/worker-pool.js";
import { writeHandlerModule } from "../handler-module.js";
import { historyRoute, type CurrentRun } from "./history-endpoint.js";
import { invokeTargets } from "../invoke-targets.js";
import type { ConformanceTarget } from "../target.js";
import { FUNCTION_NAME, outcomeFromStore, runOnEngine, type EngineSdk } from "./engine.js";

export const SERVE_TARGET_NAMES = { replayable: "serve-replayable", aws: "serve-aws-sdk" } as const;

const WORKER = join(dirname(fileURLToPath(import.meta.url)), "serve-worker.ts");

export interface ServeTargetOptions {
  /** Milliseconds the endpoint waits before it takes each checkpoint (default 0): a slow service or a loaded machine, which no result may depend on. */
  checkpointLatencyMs?: number;
}

export function serveTarget(sdk: EngineSdk, options: ServeTargetOptions = {}): ConformanceTarget {
  const invocations = new LiveInvocations(async () => undefined);
  let current: CurrentRun | undefined;
  const latency = options.checkpointLatencyMs ?? 0;
  const routes = {
    checkpoint: async (...args: Parameters<LiveInvocations["checkpoint"]>) => {
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      return invocations.checkpoint(...args);
    },
    getState: invocations.getState.bind(invocations),
    ...historyRoute(() => current),
  };
  let http: { server: Server; url: string } | undefined;
  return {
    name: SERVE_TARGET_NAMES[sdk],
    async teardown() {
      const server = http?.server;
      http = undefined;
      if (server) await new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
    },
    async run(req, handlerModulePath, input, callbackActions, runOptions) {
      http ??= await listen(() => routes, 0);
      const version = { version: "$LATEST", engineName: FUNCTION_NAME, definition: { name: FUNCTION_NAME, file: handlerModulePath, exportName: "handler", durableConfig: {}, versions: [], aliases: {} } };
      const modulePath = writeHandlerModule(handlerModulePath, sdk);
      const pool = new WorkerPool(
        { module: WORKER, args: [modulePath], execArgv: ["--import", "tsx"], cwd: process.cwd(), env: { ...process.env, ...lambdaWorkerEnv(http!.url, version) }, output: "ignore" },
        1,
        `${req.id} (${sdk})`,
      );
      const store = new MemoryStore();
      const executionId = `conformance-${req.id}-${randomUUID()}`;
      current = { store, executionId };
      try {
        const driven = await runOnEngine({
          store,
          handler: invocations.functionFor(version, pool),
          functions: runOptions?.functions ?? invokeTargets,
          executionId,
          input,
          callbackActions,
          clockStart: Date.now(),
        });
        return { ...(await outcomeFromStore(store, executionId)), notes: driven.notes };
      } finally {
        current = undefined;
        pool.close();
        await store.close();
      }
    },
  };
}
