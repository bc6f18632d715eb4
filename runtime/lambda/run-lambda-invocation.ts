import { errorToObject } from "../errors.js";
import { localLambdaContext } from "../lambda-context.js";
import { runInvocation } from "../run-invocation.js";
import type { LambdaContext } from "../types.js";
import type { RegisteredDurableHandler } from "../with-durable-execution.js";
import { durableClientFor, type DurableClientOption } from "./lambda-client.js";
import { lambdaOperationId } from "./operation-ids.js";
import { ServiceJournal } from "./service-journal.js";
import type { DurableExecutionClient, DurableExecutionInvocationInput, DurableExecutionInvocationOutput } from "./wire.js";

/** Lambda's response limit (6 MB) less room for the envelope: a larger result is checkpointed instead. */
const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024 - 1024;

/** Whether a Lambda event is a durable invocation (what Lambda sends a function with DurableConfig). */
export function isDurableInvocationEvent(event: unknown): event is DurableExecutionInvocationInput {
  const candidate = event as Partial<DurableExecutionInvocationInput> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.DurableExecutionArn === "string" &&
    typeof candidate.CheckpointToken === "string" &&
    typeof candidate.InitialExecutionState === "object" &&
    candidate.InitialExecutionState !== null
  );
}

/**
 * One Lambda invocation of a durable handler: reads the execution's state from the service,
 * replays the handler from its first line against it (the journal's keys, divergence checks
 * and deterministic helpers as everywhere), sends each new state as a checkpoint, and answers
 * Lambda with { Status, Result, Error }. A call the service refused for this invocation only
 * (a stale token, throttling, a service error) is thrown, so Lambda invokes again and the
 * handler replays; one it refused for good fails the execution.
 */
export async function runLambdaInvocation(
  registered: RegisteredDurableHandler,
  event: DurableExecutionInvocationInput,
  context: unknown,
  clientOption: DurableClientOption | undefined,
): Promise<DurableExecutionInvocationOutput> {
  // A host that plays the service in-process hands its client in the event, as the official SDK's harness does.
  const eventClient = (event as { durableExecutionClient?: DurableExecutionClient }).durableExecutionClient;
  const client = eventClient ?? (await durableClientFor(clientOption));
  const journal = await ServiceJournal.open(client, event);
  const lambdaContext = isLambdaContext(context) ? context : localLambdaContext({ awsRequestId: "lambda" });
  const outcome = await runInvocation({
    handler: registered.handler,
    config: registered.config,
    executionArn: event.DurableExecutionArn,
    store: journal,
    lambdaContext,
    requestId: lambdaContext.awsRequestId,
    // Plugins see operations by the ids Lambda shows (the digests of the journal's keyed ids).
    ...(registered.config?.plugins?.length
      ? {
          serviceOperationId: lambdaOperationId,
          updatedOperationIds: updatedKeyedIds(journal, event.UpdatedOperationIds),
          failureIsRetried: () => journal.failure?.scope === "INVOCATION",
        }
      : {}),
  });
  if (journal.failure) {
    if (journal.failure.scope === "INVOCATION") throw journal.failure.error;
    return { Status: "FAILED", Error: errorToObject(journal.failure.error) };
  }
  switch (outcome.status) {
    case "PENDING":
      return { Status: "PENDING" };
    case "FAILED":
      return { Status: "FAILED", Error: outcome.error };
    case "SUCCEEDED":
      if (outcome.result !== undefined && Buffer.byteLength(outcome.result, "utf8") > LAMBDA_RESPONSE_BYTES) {
        await journal.succeedExecution(outcome.result);
        return { Status: "SUCCEEDED", Result: "" };
      }
      return { Status: "SUCCEEDED", Result: outcome.result };
  }
}

/** The journal ids of the operations Lambda lists as changed since the previous invocation. */
function updatedKeyedIds(journal: ServiceJournal, wireIds: readonly string[] | undefined): string[] {
  const wanted = new Set(wireIds ?? []);
  return [...journal.load()].filter((r) => r.Type !== "EXECUTION" && wanted.has(lambdaOperationId(r.Id))).map((r) => r.Id);
}

function isLambdaContext(context: unknown): context is LambdaContext {
  return typeof context === "object" && context !== null && typeof (context as LambdaContext).awsRequestId === "string";
}
