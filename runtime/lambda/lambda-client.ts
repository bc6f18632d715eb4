import type { DurableExecutionClient } from "./wire.js";

/** What a LambdaClient of @aws-sdk/client-lambda offers: send(command). */
export interface LambdaClientLike {
  send(command: unknown): Promise<unknown>;
}

/** `withDurableExecution(handler, { client })`: a durable execution client (the official SDK's shape) or a LambdaClient. */
export type DurableClientOption = DurableExecutionClient | LambdaClientLike;

type ClientLambdaModule = typeof import("@aws-sdk/client-lambda");

/**
 * How the default LambdaClient is configured. cacheMiddleware: the client resolves its
 * middleware stack once per command type instead of on every call (a fifth of the client's
 * CPU per checkpoint; the runtime adds no middleware to a command).
 */
export const LAMBDA_CLIENT_CONFIG = { cacheMiddleware: true, requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 } } as const;

let clientLambda: Promise<ClientLambdaModule> | undefined;
let defaultClient: DurableExecutionClient | undefined;

/**
 * The client a durable invocation talks to: the one given, else a LambdaClient built once
 * per process (a warm Lambda environment reuses it). @aws-sdk/client-lambda is loaded here,
 * on the first durable invocation, never when the handler runs in a test or on the engine.
 * The LambdaClient takes its region, credentials and endpoint from the environment, as on
 * Lambda (AWS_ENDPOINT_URL_LAMBDA points it at `replayable serve`).
 */
export async function durableClientFor(option: DurableClientOption | undefined): Promise<DurableExecutionClient> {
  if (option && isDurableExecutionClient(option)) return option;
  if (option === undefined && defaultClient) return defaultClient;
  const sdk = await loadClientLambda();
  const lambda: LambdaClientLike = option ?? new sdk.LambdaClient(LAMBDA_CLIENT_CONFIG);
  const client: DurableExecutionClient = {
    getExecutionState: (params) => lambda.send(new sdk.GetDurableExecutionStateCommand(params)) as never,
    checkpoint: (params) => lambda.send(new sdk.CheckpointDurableExecutionCommand(params as never)) as never,
  };
  if (option === undefined) defaultClient = client;
  return client;
}

function isDurableExecutionClient(option: DurableClientOption): option is DurableExecutionClient {
  const candidate = option as Partial<DurableExecutionClient>;
  return typeof candidate.checkpoint === "function" && typeof candidate.getExecutionState === "function";
}

function loadClientLambda(): Promise<ClientLambdaModule> {
  clientLambda ??= import("@aws-sdk/client-lambda").catch((error: unknown) => {
    clientLambda = undefined;
    throw new Error(
      "A durable invocation needs @aws-sdk/client-lambda to reach Lambda's durable execution API, and it cannot be loaded " +
        `(${error instanceof Error ? error.message : String(error)}). Install it (npm install @aws-sdk/client-lambda, a version with ` +
        "CheckpointDurableExecutionCommand), or pass a client: withDurableExecution(handler, { client }).",
      { cause: error },
    );
  });
  return clientLambda;
}
