// Where a requirement runs. A target takes a handler module written against the AWS SDK, runs
// it with the requirement's input, plays the requirement's callback actions, and reports the
// execution's outcome and, when it can, its history in AWS's event vocabulary (history.ts).
import type { ErrorObject } from "../runtime/operation-model.js";
import type { HistoryEventLike } from "./match.js";
import type { CallbackAction, Requirement } from "./requirements.js";

/** Something a requirement needs that not every target can do. */
export type RequirementNeed =
  /** The handler crashes its process (process.exit) and the next invocation recovers. */
  | "process-crash"
  /** The SDK's instrumentation plugin API. */
  | "plugin";

export interface RunOutcome {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED" | "RUNNING";
  /** The result as the execution's Result JSON decodes (undefined: none). */
  result?: unknown;
  error?: ErrorObject | undefined;
  /** The execution's history; undefined when the target cannot produce one (then it is not compared). */
  history?: HistoryEventLike[] | undefined;
  /**
   * Where the history comes from, when it is not a faithful record of the execution: the AWS
   * testing library's local checkpoint server numbers and orders some events differently from
   * the service, so a mismatch there is reported, not counted.
   */
  historyFidelity?: "faithful" | "approximate";
  /**
   * What the run wrote to stdout and stderr (the handlers' and the SDKs' log lines, a plugin's
   * records), line by line in order; undefined when the target does not capture it (then
   * ExpectedLogs is not compared).
   */
  logs?: string[] | undefined;
  /** Anything the report should say about this run. */
  notes?: string[];
}

/** A plain (non-durable) Lambda function a handler can `context.invoke`. */
export type InvokeTarget = (event: any, context: any) => Promise<unknown>;

export interface RunOptions {
  /** Functions `context.invoke` can call, by name. */
  functions?: Record<string, InvokeTarget>;
  /**
   * The requirement gives no ExpectedResult: as AWS's runner, the target may stop once the
   * history holds the expected events instead of running to a terminal state.
   */
  historyOnly?: boolean;
}

export interface ConformanceTarget {
  name: string;
  /** Needs this target cannot serve, with the reason; requirements that need them are skipped. */
  unsupported?: Partial<Record<RequirementNeed, string>>;
  /** Called once before the first run and after the last. */
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /**
   * Runs one requirement. `input` and `callbackActions` have the run's variables substituted
   * (CallbackName "*" still matches any callback).
   */
  run(req: Requirement, handlerModulePath: string, input: unknown, callbackActions: CallbackAction[], options?: RunOptions): Promise<RunOutcome>;
}

/** A callback action's failure Payload (ErrorType/ErrorMessage/ErrorData/StackTrace) as an ErrorObject; undefined when there is none. */
export function callbackFailureOf(payload: unknown): ErrorObject | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload !== "object") return {};
  const p = payload as Record<string, unknown>;
  const out: ErrorObject = {};
  if (p.ErrorType !== undefined) out.ErrorType = String(p.ErrorType);
  if (p.ErrorMessage !== undefined) out.ErrorMessage = String(p.ErrorMessage);
  if (p.ErrorData !== undefined) out.ErrorData = String(p.ErrorData);
  if (Array.isArray(p.StackTrace)) out.StackTrace = p.StackTrace.map(String);
  return out;
}
