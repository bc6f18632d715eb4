import type { JournalStore } from "../runtime/journal.js";
import type { LambdaContext } from "../runtime/types.js";
import { startInvocation, type LiveInvocation } from "../runtime/run-invocation.js";
import type { RegisteredDurableHandler } from "../runtime/with-durable-execution.js";

/** What the engine hands a durable function for one run of its handler. */
export interface RunRequest {
  executionArn: string;
  /** The execution's records (EXECUTION first, with the input); save() commits under the claim's lease. */
  journal: JournalStore;
  clock: () => number;
  lambdaContext: LambdaContext;
  /**
   * Operations the engine changed since the previous invocation (a wait that fired, a callback
   * or invoke that completed, a retry that came due): the service's UpdatedOperationIds.
   */
  updatedOperationIds?: readonly string[] | undefined;
}

/**
 * How a registered durable function runs: replayable's runtime (warm-capable), or an
 * adapter such as the official AWS SDK's (engine/aws), which marks its functions with
 * ENGINE_RUNNER.
 */
export interface FunctionRunner {
  /** False when the handler cannot be kept in memory between wake-ups (each wake-up replays). */
  readonly canResumeWarm: boolean;
  start(request: RunRequest): LiveInvocation;
}

export const ENGINE_RUNNER = Symbol.for("replayable.engineRunner");

export function replayableRunner(registered: RegisteredDurableHandler): FunctionRunner {
  return {
    canResumeWarm: true,
    start: (request) =>
      startInvocation({
        handler: registered.handler,
        config: registered.config,
        executionArn: request.executionArn,
        store: request.journal,
        clock: request.clock,
        lambdaContext: request.lambdaContext,
        requestId: request.lambdaContext.awsRequestId,
        updatedOperationIds: request.updatedOperationIds,
      }),
  };
}

/** The runner of a function carrying ENGINE_RUNNER (see engine/aws). */
export function attachedRunner(fn: unknown): FunctionRunner | undefined {
  if ((typeof fn !== "function" && typeof fn !== "object") || fn === null) return undefined;
  const runner = (fn as { [ENGINE_RUNNER]?: FunctionRunner })[ENGINE_RUNNER];
  return runner && typeof runner.start === "function" ? runner : undefined;
}
