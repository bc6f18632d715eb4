// `replayable serve`: a local endpoint that speaks the Lambda API (Invoke and the durable
// execution APIs) over HTTP, on replayable's engine and store. Each invocation runs in a
// worker process whose AWS_ENDPOINT_URL_LAMBDA points back here, so the function's own
// runtime (the official SDK, or replayable's) checkpoints over HTTP exactly as on Lambda.
import type { Server } from "node:http";
import { createEngine, type Engine, type EngineStore } from "../../engine/index.js";
import type { InvocationEnd } from "../../history/invocation-boundaries.js";
import { ACCOUNT, FunctionCatalog, REGION, type FunctionDefinition, type FunctionVersion } from "./functions.js";
import { ExecutionTimeouts } from "./durable-config.js";
import { listen } from "./http-server.js";
import { LambdaApi } from "./lambda-api.js";
import type { WorkerCommand } from "./worker-pool.js";

export type { DurableConfig, FunctionDefinition, FunctionVersion } from "./functions.js";
export type { WorkerCommand } from "./worker-pool.js";

export interface LambdaServerOptions {
  store: EngineStore;
  functions: FunctionDefinition[];
  /** How to start a worker process for a function version (its module loads the handler file and calls serveInvocations). */
  workerCommand: (version: FunctionVersion) => Omit<WorkerCommand, "env"> & { env?: NodeJS.ProcessEnv };
  /** Default 9001; 0 picks a free port. */
  port?: number;
  host?: string;
  workersPerFunction?: number;
  clock?: () => number;
  /** The engine's own worker loop (default true); without it, the caller runs due work (engine.runDue()). */
  worker?: boolean;
  leaseMs?: number;
  pollMs?: number;
}

export interface LambdaServer {
  /** http://127.0.0.1:<port>: the endpoint for clients (AWS_ENDPOINT_URL_LAMBDA, --endpoint-url). */
  url: string;
  engine: Engine;
  /** How an invocation whose worker failed ended, by request id (its history's InvocationCompleted; a console on the same store shows the same). */
  invocationEnd(requestId: string): InvocationEnd | undefined;
  close(): Promise<void>;
}

/** What a function's process is told about its endpoint, region and (dummy) credentials, as Lambda's environment tells it. */
export function lambdaWorkerEnv(endpoint: string, version: FunctionVersion): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: "replayable-serve",
    AWS_SECRET_ACCESS_KEY: "replayable-serve",
    AWS_LAMBDA_FUNCTION_NAME: version.definition.name,
    AWS_LAMBDA_FUNCTION_VERSION: version.version,
    AWS_ACCOUNT_ID: ACCOUNT,
  };
}

export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServer> {
  const catalog = new FunctionCatalog(options.functions);
  const clock = options.clock ?? Date.now;
  const engine = createEngine({
    store: options.store,
    resumption: "replay",
    worker: options.worker,
    clock,
    leaseMs: options.leaseMs,
    pollMs: options.pollMs ?? 20,
  });
  let api: LambdaApi | undefined;
  let http: { server: Server; url: string };
  try {
    http = await listen(() => api!, options.port ?? 9001, options.host);
  } catch (error) {
    await engine.close();
    throw error;
  }
  const url = http.url;
  api = new LambdaApi({
    engine,
    store: options.store,
    catalog,
    workersPerFunction: options.workersPerFunction,
    clock,
    workerCommand: (version) => {
      const command = options.workerCommand(version);
      return { ...command, env: { ...process.env, ...version.definition.environment, ...command.env, ...lambdaWorkerEnv(url, version) } };
    },
  });
  const timeouts = new ExecutionTimeouts(engine, options.store, catalog, clock);
  timeouts.start();
  return {
    url,
    engine,
    invocationEnd: (requestId) => api!.invocationEnd(requestId),
    async close() {
      await timeouts.close();
      await new Promise<void>((resolve) => {
        http.server.close(() => resolve());
        http.server.closeAllConnections();
      });
      api!.close();
      await engine.close();
    },
  };
}
