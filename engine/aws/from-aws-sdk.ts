import { errorToObject } from "../../runtime/errors.js";
import type { ErrorObject } from "../../runtime/operation-model.js";
import type { LambdaContext } from "../../runtime/types.js";
import type { InvocationOutcome, LiveInvocation } from "../../runtime/run-invocation.js";
import { ENGINE_RUNNER, type FunctionRunner, type RunRequest } from "../function-runner.js";
import { ExecutionService } from "./execution-service.js";
import type { DurableExecutionClient, DurableExecutionInvocationInput, DurableExecutionInvocationOutput } from "./wire.js";

/** What `withDurableExecution` of `@aws/durable-execution-sdk-js` returns: a Lambda handler. */
export type AwsDurableLambdaHandler = (event: any, context: any) => Promise<DurableExecutionInvocationOutput | unknown>;

export interface AwsSdkFunctionOptions {
  /**
   * Operations per page of execution state, in the invocation event and in each
   * GetDurableExecutionState answer (default 1,000); the SDK pages through the rest.
   */
  pageSize?: number;
}

/** A Lambda handler the engine can run: called directly it is the handler it wraps, unchanged. */
export type EngineRunnableAwsHandler<H extends AwsDurableLambdaHandler> = H & { readonly [ENGINE_RUNNER]: FunctionRunner };

/**
 * Lets replayable's engine run a durable function written with the official AWS SDK:
 * `createEngine({ store, functions: { orders: fromAwsSdk(handler) } })`, where `handler`
 * is what `withDurableExecution` returned. The engine invokes it as the Lambda service
 * would (the invocation event, a Lambda context) and plays the durable execution service
 * behind its `durableExecutionClient`: the SDK's checkpoints are committed to the engine's
 * store, its waits, retries, callbacks and invokes are run by the engine. The handler code
 * is not changed; the function returned is still the Lambda handler when called directly.
 *
 * As on Lambda, every wake-up is a new invocation that replays the handler from its first
 * line (the function cannot be resumed warm).
 */
export function fromAwsSdk<H extends AwsDurableLambdaHandler>(handler: H, options: AwsSdkFunctionOptions = {}): EngineRunnableAwsHandler<H> {
  if (typeof handler !== "function") {
    throw new TypeError(`fromAwsSdk() takes the handler withDurableExecution() returned (from @aws/durable-execution-sdk-js); got ${handler === null ? "null" : typeof handler}.`);
  }
  const runner = serviceRunner((event, service, lambdaContext) => handler(new DurableExecutionInvocationInputWithClient(event, service), lambdaContext), options);
  const lambdaHandler = function (this: unknown, event: unknown, context: unknown) {
    return handler.call(this, event, context);
  } as unknown as H;
  Object.defineProperty(lambdaHandler, "name", { value: handler.name || "awsDurableHandler" });
  Object.defineProperty(lambdaHandler, ENGINE_RUNNER, { value: runner, enumerable: false });
  return lambdaHandler as EngineRunnableAwsHandler<H>;
}

/**
 * The invocation event with the service's client attached. The SDK takes a client from the
 * event when the event is this class (recognised by name, as the SDK's own harness
 * `DurableExecutionInvocationInputWithClient` is), before its configured one: the handler
 * was wrapped before the engine existed, so the event is the only way in.
 */
class DurableExecutionInvocationInputWithClient implements DurableExecutionInvocationInput {
  readonly DurableExecutionArn: string;
  readonly CheckpointToken: string;
  readonly UpdatedOperationIds: string[] | undefined;
  readonly InitialExecutionState: DurableExecutionInvocationInput["InitialExecutionState"];

  constructor(
    input: DurableExecutionInvocationInput,
    readonly durableExecutionClient: DurableExecutionClient,
  ) {
    this.DurableExecutionArn = input.DurableExecutionArn;
    this.CheckpointToken = input.CheckpointToken;
    this.UpdatedOperationIds = input.UpdatedOperationIds;
    this.InitialExecutionState = input.InitialExecutionState;
  }

  get [Symbol.toStringTag](): string {
    return "DurableExecutionInvocationInputWithClient";
  }
}
// The SDK compares the constructor's name: keep it through minifiers.
Object.defineProperty(DurableExecutionInvocationInputWithClient, "name", { value: "DurableExecutionInvocationInputWithClient" });

/**
 * How the engine runs a function that speaks Lambda's durable protocol: each run is one
 * invocation (the handler replays from its first line) with its own ExecutionService, which
 * `invoke` hands the function with the invocation event; what the function returns is its
 * { Status, Result, Error }. fromAwsSdk calls the handler in-process; `replayable serve`
 * sends the event to a worker process that calls the service back over HTTP.
 */
export function serviceRunner(invoke: ServiceInvoke, options: ServiceRunnerOptions = {}): FunctionRunner {
  return { canResumeWarm: false, start: (request) => startServiceInvocation(invoke, request, options) };
}

export type ServiceInvoke = (event: DurableExecutionInvocationInput, service: ExecutionService, lambdaContext: LambdaContext) => Promise<unknown>;

export interface ServiceRunnerOptions extends AwsSdkFunctionOptions {
  /** The DurableExecutionArn the function is told (default: the engine's). */
  executionArn?: (request: RunRequest) => string;
}

/** One invocation: the handler runs once from its first line against the service's view of the execution. */
function startServiceInvocation(invoke: ServiceInvoke, request: RunRequest, options: ServiceRunnerOptions): LiveInvocation {
  const service = new ExecutionService({
    executionArn: options.executionArn?.(request) ?? request.executionArn,
    journal: request.journal,
    clock: request.clock,
    pageSize: options.pageSize,
    updatedOperationIds: request.updatedOperationIds,
  });
  let outcome: Promise<InvocationOutcome> | undefined;

  const run = async (): Promise<InvocationOutcome> => {
    let output: unknown;
    try {
      output = await invoke(service.invocationInput(), service, request.lambdaContext);
    } catch (error) {
      service.end("the handler threw");
      // A checkpoint the store refused (the claim was lost, the disk failed) ends the
      // invocation, not the execution: the engine leaves it for a later claim to replay.
      if (service.commitFailure !== undefined) throw service.commitFailure;
      // The function's process failed (it crashed, it threw out of the runtime): as Lambda, the
      // service invokes it again later instead of failing the execution.
      if ((error as { retryInvocation?: unknown } | null)?.retryInvocation === true) throw error;
      return failed(errorToObject(error));
    }
    service.end("the handler returned");
    if (service.commitFailure !== undefined) throw service.commitFailure;
    return outcomeOf(output, service);
  };

  return {
    next: () => (outcome ??= run()),
    deliver: () => {
      throw new Error("A function written with the AWS SDK cannot be resumed warm: each wake-up is a new invocation (its runner has canResumeWarm false).");
    },
    close: () => service.end("the engine closed it"),
  };
}

function outcomeOf(output: unknown, service: ExecutionService): InvocationOutcome {
  const ended = service.executionEnd;
  const { Status, Result, Error: error } = (typeof output === "object" && output !== null ? output : {}) as Partial<DurableExecutionInvocationOutput>;
  switch (Status) {
    case "SUCCEEDED":
      // A result over Lambda's response limit comes back empty, checkpointed on the EXECUTION operation.
      if (ended?.status === "SUCCEEDED" && !Result) return { status: "SUCCEEDED", result: ended.result, issued: [], unconsumed: [] };
      return { status: "SUCCEEDED", result: Result, issued: [], unconsumed: [] };
    case "FAILED":
      return failed(error ?? { ErrorType: "Error", ErrorMessage: "The handler reported FAILED without an error" });
    case "PENDING":
      if (ended) return ended.status === "SUCCEEDED" ? { status: "SUCCEEDED", result: ended.result, issued: [], unconsumed: [] } : failed(ended.error);
      return { status: "PENDING", issued: [], unconsumed: [] };
    default:
      return failed({
        ErrorType: "InvalidDurableOutputError",
        ErrorMessage: `The handler returned ${describe(output)}, not a durable execution output ({ Status: SUCCEEDED | FAILED | PENDING }): pass fromAwsSdk() the handler withDurableExecution() returned.`,
      });
  }
}

function failed(error: ErrorObject): InvocationOutcome {
  return { status: "FAILED", error, nonDeterministic: error.ErrorType === "NonDeterministicExecutionError", issued: [], unconsumed: [] };
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
  } catch {
    return String(value);
  }
}
