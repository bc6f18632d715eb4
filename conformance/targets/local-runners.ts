// Two targets on in-process test runners, until the engine's targets exist:
//
// - "replayable-test-runner": replayable's runtime on replayable's LocalDurableTestRunner
//   (virtual time). Its history is the runner's own getHistoryEvents() (history/aws-history.ts
//   over every state the runner's journal saved, with the invocation that wrote it).
// - "aws-test-runner": the official SDK on the official LocalDurableTestRunner
//   (@aws/durable-execution-sdk-js-testing, time skipping on). Its history is the testing
//   library's own (getHistoryEvents), which differs from the service's in places (its
//   InvocationCompleted placement under time skipping, RetryDetails), so it is reported as
//   approximate.
//
// Neither runner can survive a process crash, so requirements whose handler calls
// process.exit are skipped on both.
import { LocalDurableTestRunner as AwsLocalDurableTestRunner, WaitingOperationStatus as AwsWaitingStatus } from "@aws/durable-execution-sdk-js-testing";
import type { ErrorObject } from "../../runtime/operation-model.js";
import { durableHandlerOf } from "../../runtime/with-durable-execution.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { loadHandler, type LoadHandlerOptions } from "../handler-module.js";
import type { CallbackAction } from "../requirements.js";
import { callbackFailureOf, type ConformanceTarget, type InvokeTarget, type RunOptions, type RunOutcome } from "../target.js";

/** What the callback driver needs of an operation handle; both runners' handles have it. */
interface DrivableOperation {
  waitForData(status?: any): Promise<unknown>;
  getType(): string | undefined;
  getName(): string | undefined;
  getId(): string | undefined;
  sendCallbackSuccess(result?: string): Promise<unknown>;
  sendCallbackFailure(error?: ErrorObject): Promise<unknown>;
  sendCallbackHeartbeat(): Promise<unknown>;
}
interface DrivableRunner {
  getOperationByIndex(index: number): DrivableOperation;
}

export interface LocalRunnerTargetOptions extends LoadHandlerOptions {
  /** Real milliseconds slept per second of a callback action's Delay, between actions on different callbacks (default 5: keeps their order, not their length). */
  msPerDelaySecond?: number;
}

const CRASH_REASON = "an in-process test runner cannot survive the handler's process.exit; the engine's Lambda-faithful mode can";

export function replayableTestRunnerTarget(options: LocalRunnerTargetOptions = {}): ConformanceTarget {
  return {
    name: "replayable-test-runner",
    unsupported: { "process-crash": CRASH_REASON, plugin: "the plugin suite is judged by its ExpectedLogs, which this target does not capture (the engine-replayable target does)" },
    async run(_req, handlerModulePath, input, callbackActions, runOptions) {
      const loaded = await loadHandler(handlerModulePath, "replayable", options);
      if (!durableHandlerOf(loaded.handler)) throw new Error(`${handlerModulePath}: \`handler\` is not a withDurableExecution handler`);
      // Replaying each invocation from the first line (not warm resumption), without the replay check.
      const runner = new LocalDurableTestRunner({ handlerFunction: loaded.handler, replayCheck: false, resumption: "replay" });
      registerFunctions(runner, runOptions);
      const run = runner.run({ payload: input });
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      const driving = driveCallbacks(runner as unknown as DrivableRunner, callbackActions, settled, options.msPerDelaySecond ?? 5);
      const result = await run;
      const notes = await driving;
      const status = result.getStatus();
      const value = status === "SUCCEEDED" ? result.getResult() : undefined;
      const error = status === "FAILED" ? toErrorObject(result.getError()) : undefined;
      // The runner's own history (history/aws-history.ts over every state its journal saved).
      const history = result.getHistoryEvents();
      return { status, result: value, error, history, historyFidelity: "faithful", notes } satisfies RunOutcome;
    },
  };
}

export function awsTestRunnerTarget(options: LocalRunnerTargetOptions = {}): ConformanceTarget {
  return {
    name: "aws-test-runner",
    unsupported: { "process-crash": CRASH_REASON, plugin: "the plugin suite is judged by its ExpectedLogs, which this target does not capture (the engine-aws-sdk target does)" },
    async setup() {
      await AwsLocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
    },
    async teardown() {
      await AwsLocalDurableTestRunner.teardownTestEnvironment();
    },
    async run(_req, handlerModulePath, input, callbackActions, runOptions) {
      const loaded = await loadHandler(handlerModulePath, "aws", options);
      const runner = new AwsLocalDurableTestRunner({ handlerFunction: loaded.handler as never });
      registerFunctions(runner as unknown as FunctionRegistry, runOptions);
      const run = runner.run({ payload: input });
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      const driving = driveCallbacks(runner as unknown as DrivableRunner, callbackActions, settled, options.msPerDelaySecond ?? 5, AwsWaitingStatus.STARTED);
      const result = await run;
      const notes = await driving;
      const status = (result.getStatus() ?? "RUNNING") as RunOutcome["status"];
      const value = status === "SUCCEEDED" ? result.getResult() : undefined;
      const error = status === "FAILED" ? toErrorObject(result.getError()) : undefined;
      const history = JSON.parse(JSON.stringify(result.getHistoryEvents())) as RunOutcome["history"];
      return { status, result: value, error, history, historyFidelity: "approximate", notes } satisfies RunOutcome;
    },
  };
}

interface FunctionRegistry {
  registerFunction(name: string, handler: (event: any, context: any) => Promise<unknown>): unknown;
}

function registerFunctions(runner: FunctionRegistry, options: RunOptions | undefined): void {
  for (const [name, fn] of Object.entries(options?.functions ?? {})) runner.registerFunction(name, fn as InvokeTarget);
}

function toErrorObject(e: { errorMessage?: string | undefined; errorType?: string | undefined; errorData?: string | undefined; stackTrace?: string[] | undefined }): ErrorObject {
  return { ErrorMessage: e.errorMessage, ErrorType: e.errorType, ErrorData: e.errorData, StackTrace: e.stackTrace };
}

/** Collects every record state the runner's journal saves, with the invocation that wrote it. */
/**
 * Plays callback actions as AWS's runner does: each callback, when it appears, takes the first
 * unused action whose CallbackName is "*" or the callback's name; a heartbeat does not use the
 * callback up, so the next matching action applies to it too. A success sends the payload's
 * JSON text; a failure sends its ErrorType/ErrorMessage/ErrorData/StackTrace.
 */
async function driveCallbacks(
  runner: DrivableRunner,
  actions: CallbackAction[],
  finished: Promise<void>,
  msPerDelaySecond: number,
  startedStatus?: unknown,
): Promise<string[]> {
  const notes: string[] = [];
  const used = new Set<number>();
  let lastCallback: string | undefined;
  let done = false;
  void finished.then(() => (done = true));
  for (let index = 0; !done; index++) {
    const op = runner.getOperationByIndex(index);
    const appeared = await Promise.race([op.waitForData(startedStatus).then(() => true, () => false), finished.then(() => false)]);
    if (!appeared) break;
    if (op.getType() !== "CALLBACK") continue;
    const name = op.getName();
    for (;;) {
      const i = actions.findIndex((a, n) => !used.has(n) && (a.CallbackName === "*" || a.CallbackName === name));
      if (i < 0) {
        if (actions.length > 0) notes.push(`no callback action matched callback ${name ?? op.getId()}`);
        break;
      }
      used.add(i);
      const action = actions[i]!;
      // Under virtual time a real delay only orders actions on different callbacks: the first
      // acts at once (before the runner's clock jumps to its next timer), and so do the actions
      // that follow a heartbeat on the same callback (else its heartbeat timeout would fire).
      if (lastCallback !== undefined && lastCallback !== op.getId() && action.Delay > 0 && msPerDelaySecond > 0) await sleep(action.Delay * msPerDelaySecond);
      lastCallback = op.getId();
      if (done) break;
      try {
        if (action.Operation === "success") await op.sendCallbackSuccess(action.Payload === undefined ? undefined : JSON.stringify(action.Payload));
        else if (action.Operation === "failure") await op.sendCallbackFailure(callbackFailureOf(action.Payload));
        else await op.sendCallbackHeartbeat();
      } catch (error) {
        notes.push(`callback action ${action.Operation} for ${name ?? op.getId()} failed: ${(error as Error).message}`);
      }
      if (action.Operation !== "heartbeat") break;
    }
  }
  return notes;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

