import { ContextScope } from "./context-scope.js";
import { ContextUsageError } from "./context-usage.js";
import { DurableContextImpl } from "./durable-context.js";
import { errorToObject, NonDeterministicExecutionError, SerdesFailedError } from "./errors.js";
import { Invocation, type InvocationMode } from "./invocation.js";
import { Journal, type JournalStore } from "./journal.js";
import { localLambdaContext } from "./lambda-context.js";
import { LoggerSettings } from "./logger.js";
import type { ErrorObject } from "./operation-model.js";
import { defaultSerdes } from "./serdes.js";
import type { DurableExecutionConfig, DurableExecutionHandler, LambdaContext } from "./types.js";

export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

export interface InvocationRequest {
  handler: DurableExecutionHandler;
  config?: DurableExecutionConfig | undefined;
  executionArn: string;
  /** Holds the EXECUTION record (with the input payload) and every operation recorded so far. */
  store: JournalStore;
  /** Milliseconds since the epoch; the test runner passes its virtual clock. */
  clock?: () => number;
  /** "verify" re-runs orchestration code against a finished journal and never runs step bodies. */
  mode?: InvocationMode;
  lambdaContext?: LambdaContext;
  requestId?: string;
  loggerSettings?: LoggerSettings;
}

export type InvocationOutcome = (
  | { status: "SUCCEEDED"; result: string | undefined }
  | {
      status: "FAILED";
      error: ErrorObject;
      nonDeterministic: boolean;
      /** An operation was called inside step code or on an outer context (see context-usage.ts). */
      contextUsage?: boolean;
    }
  | { status: "PENDING" }
) & {
  /** Operation ids the handler issued, in call order. */
  issued: string[];
  /** Recorded operations this invocation never reached (reported when the execution completes). */
  unconsumed: string[];
};

/** Runs the handler once from its first line against the journal, until it settles or suspends. */
export async function runInvocation(request: InvocationRequest): Promise<InvocationOutcome> {
  const journal = new Journal(request.store, request.config?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  const invocation = new Invocation(
    journal,
    request.executionArn,
    request.clock ?? Date.now,
    request.mode ?? "execute",
    request.lambdaContext ?? localLambdaContext({ awsRequestId: request.requestId ?? "local", clock: request.clock }),
    request.requestId ?? request.lambdaContext?.awsRequestId ?? "local",
  );
  const scope = new ContextScope(invocation, undefined, request.loggerSettings ?? new LoggerSettings());
  const context = new DurableContextImpl(scope);
  const execution = [...request.store.load()].find((r) => r.Type === "EXECUTION");
  const inputPayload = execution?.ExecutionDetails?.InputPayload;

  type Settled = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown };
  const handlerSettled: Promise<Settled> = (async () => {
    const event: unknown = inputPayload === undefined ? undefined : JSON.parse(inputPayload);
    return request.handler(event, context);
  })().then(
    (value): Settled => ({ kind: "returned", value }),
    (error: unknown): Settled => ({ kind: "threw", error }),
  );
  const first = await Promise.race([handlerSettled, invocation.termination]);
  invocation.markEnded();

  const finish = async (outcome: InvocationOutcome): Promise<InvocationOutcome> => {
    try {
      await journal.flush();
    } catch (error) {
      return { status: "FAILED", error: errorToObject(error), nonDeterministic: false, issued: journal.issued, unconsumed: [] };
    }
    return outcome;
  };
  const trail = () => ({ issued: journal.issued, unconsumed: journal.unconsumedIds() });

  if (first.kind === "suspended") return finish({ status: "PENDING", ...trail() });
  if (first.kind === "fatal") {
    return finish({
      status: "FAILED",
      error: errorToObject(first.error),
      nonDeterministic: first.error instanceof NonDeterministicExecutionError,
      contextUsage: first.error instanceof ContextUsageError,
      ...trail(),
    });
  }
  if (first.kind === "threw") return finish({ status: "FAILED", error: errorToObject(first.error), nonDeterministic: false, ...trail() });
  let result: string | undefined;
  try {
    result = await defaultSerdes.serialize(first.value, { entityId: "execution", durableExecutionArn: request.executionArn });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return finish({ status: "FAILED", error: errorToObject(new SerdesFailedError(`The handler's result cannot be returned: ${reason}`)), nonDeterministic: false, ...trail() });
  }
  const limit = request.config?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (result !== undefined && Buffer.byteLength(result, "utf8") > limit) {
    const error = new SerdesFailedError(`The handler's result is ${Buffer.byteLength(result, "utf8")} bytes, over the ${limit}-byte payload limit.`);
    return finish({ status: "FAILED", error: errorToObject(error), nonDeterministic: false, ...trail() });
  }
  return finish({ status: "SUCCEEDED", result, ...trail() });
}
