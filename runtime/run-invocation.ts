import { ContextScope } from "./context-scope.js";
import { ContextUsageError } from "./context-usage.js";
import { DurableContextImpl } from "./durable-context.js";
import { errorToObject, NonDeterministicExecutionError, SerdesFailedError } from "./errors.js";
import { Invocation, type InvocationMode, type Termination } from "./invocation.js";
import { Journal, type JournalStore } from "./journal.js";
import { localLambdaContext } from "./lambda-context.js";
import { LoggerSettings } from "./logger.js";
import type { ErrorObject, OperationRecord } from "./operation-model.js";
import type { DurableExecutionInvocationOutput } from "./lambda/wire.js";
import type { InvocationEndInfo } from "./plugin-types.js";
import { pluginHooksFor, type PluginHooks } from "./plugins.js";
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
  /** See Invocation.forceCheckpoint: a host that can move on while the handler's work runs. */
  forceCheckpoint?: () => Promise<OperationRecord[]>;
  /**
   * Records the host changed since the previous invocation (a wait that fired): the plugins'
   * updatedOperations, as the service's UpdatedOperationIds. A host that leaves it out reports
   * none, in later warm rounds either (the official testing library reports none).
   */
  updatedOperationIds?: readonly string[] | undefined;
  /** The id the service shows plugins for an operation (Lambda's wire id); default the journal's id. */
  serviceOperationId?: ((id: string) => string) | undefined;
  /** Whether a failed round will be invoked again (Lambda retries an invocation the service refused): plugins are told RETRYING. */
  failureIsRetried?: (() => boolean) | undefined;
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

/**
 * A run of the handler that stays in memory between rounds (warm resumption). Call next()
 * for each round; after a PENDING round the host persists new states for records (a wait
 * fired, a callback completed, a retry is due), passes them to deliver(), and calls next()
 * again: the awaits suspended on those operations continue where they were, without a
 * replay from the first line.
 */
export interface LiveInvocation {
  /**
   * Resolves when this round ends: the handler settled (SUCCEEDED or FAILED, final; later
   * calls return the same outcome) or every remaining await is suspended (PENDING). issued
   * lists the ids the handler issued in this round only. Its writes are durable by then.
   */
  next(): Promise<InvocationOutcome>;
  /**
   * Valid after next() returned PENDING. The host has already persisted these records;
   * they replace the invocation's in-memory view (not saved again), and every await
   * suspended on one of their ids re-evaluates its operation from the new record. A no-op
   * once closed.
   */
  deliver(records: OperationRecord[]): void;
  /** Ends the invocation: its suspended awaits never settle and become garbage. */
  close(): void;
}

type Settled = { kind: "returned"; value: unknown } | { kind: "threw"; error: unknown };

/** Starts the handler from its first line against the journal; see LiveInvocation. */
export function startInvocation(request: InvocationRequest): LiveInvocation {
  const limit = request.config?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const journal = new Journal(request.store, limit);
  const invocation = new Invocation(
    journal,
    request.executionArn,
    request.clock ?? Date.now,
    request.mode ?? "execute",
    request.lambdaContext ?? localLambdaContext({ awsRequestId: request.requestId ?? "local", clock: request.clock }),
    request.requestId ?? request.lambdaContext?.awsRequestId ?? "local",
  );
  invocation.forceCheckpoint = request.forceCheckpoint;
  // The replay check only re-runs orchestration code: plugins never see it.
  invocation.plugins =
    invocation.mode === "verify"
      ? undefined
      : pluginHooksFor(request.config?.plugins, { executionArn: request.executionArn, records: () => journal.all(), serviceIdOf: request.serviceOperationId, track: (work) => invocation.track(work) });
  const loggerSettings = request.loggerSettings ?? new LoggerSettings();
  const plugins = invocation.plugins;
  if (plugins) loggerSettings.enrich = () => plugins.logFields();
  const scope = new ContextScope(invocation, undefined, loggerSettings);
  const context = new DurableContextImpl(scope);
  const loaded = [...request.store.load()];
  const execution = loaded.find((r) => r.Type === "EXECUTION");
  const inputPayload = execution?.ExecutionDetails?.InputPayload;

  let handlerSettled!: Promise<Settled>;
  const startHandler = () => {
    handlerSettled = (async () => {
      const event: unknown = inputPayload === undefined ? undefined : JSON.parse(inputPayload);
      return request.handler(event, context);
    })().then(
      (value): Settled => ({ kind: "returned", value }),
      (error: unknown): Settled => ({ kind: "threw", error }),
    );
    // Once the handler settles no round may end as suspended, even before next() is called.
    void handlerSettled.then(() => invocation.markEnded());
  };
  // With plugins, the handler starts in the first round, after onInvocationStart and inside wrapInvocation.
  if (!invocation.plugins) startHandler();

  let state: "running" | "pending" | "settled" | "closed" = "running";
  // The round in progress; once the handler settled, its final outcome.
  let current: Promise<InvocationOutcome> | undefined;
  let roundStart = 0;
  const trail = () => ({ issued: journal.issued.slice(roundStart), unconsumed: journal.unconsumedIds() });

  const outcomeOf = async (first: Settled | Termination): Promise<InvocationOutcome> => {
    if (first.kind === "suspended") return { status: "PENDING", ...trail() };
    if (first.kind === "fatal") {
      return {
        status: "FAILED",
        error: errorToObject(first.error),
        nonDeterministic: first.error instanceof NonDeterministicExecutionError,
        contextUsage: first.error instanceof ContextUsageError,
        ...trail(),
      };
    }
    if (first.kind === "threw") return { status: "FAILED", error: errorToObject(first.error), nonDeterministic: false, ...trail() };
    return resultOutcome(first.value, request.executionArn, limit, trail);
  };
  let lastEnd: Settled | Termination | undefined;
  const round = async (): Promise<InvocationOutcome> => {
    const first = await Promise.race([handlerSettled, invocation.termination]);
    lastEnd = first;
    invocation.markEnded();
    let outcome = await outcomeOf(first);
    try {
      await journal.flush();
    } catch (error) {
      outcome = { status: "FAILED", error: errorToObject(error), nonDeterministic: false, issued: trail().issued, unconsumed: [] };
    }
    if (state === "closed") return outcome;
    if (outcome.status === "PENDING") {
      state = "pending";
      current = undefined;
    } else state = "settled";
    return outcome;
  };

  // A round with the plugins told: onInvocationStart, the round wrapped by wrapInvocation (the
  // handler starts inside the first one), onInvocationEnd with the round's outcome.
  let rounds = 0;
  let updatedIds: readonly string[] = request.updatedOperationIds ?? [];
  let resumeInNextRound: string[] | undefined;
  const reportedRound = async (hooks: PluginHooks): Promise<InvocationOutcome> => {
    const executionInput: unknown = inputPayload === undefined ? undefined : JSON.parse(inputPayload);
    const isFirstInvocation = rounds++ === 0 && !loaded.some((r) => r.Type !== "EXECUTION");
    const info = hooks.invocationInfo({ requestId: invocation.requestId, executionInput, isFirstInvocation }, updatedIds);
    await hooks.invocationStart(info);
    let outcome: InvocationOutcome | undefined;
    const execute = async () => {
      if (!handlerSettled) startHandler();
      else if (resumeInNextRound) invocation.resume(resumeInNextRound.splice(0));
      outcome = await round();
      const end = pluginEndOf(outcome, lastEnd);
      await hooks.invocationEnd(info, end.status === "FAILED" && request.failureIsRetried?.() ? { ...end, status: "RETRYING" } : end);
      return invocationOutput(outcome);
    };
    await hooks.wrapInvocation(info, execute);
    return outcome!;
  };

  return {
    next() {
      if (state === "closed") return Promise.reject(new Error("next() on a closed live invocation"));
      current ??= invocation.plugins ? reportedRound(invocation.plugins) : round();
      return current;
    },
    deliver(records) {
      if (state === "closed") return;
      if (state !== "pending") throw new Error(`deliver() is valid only after next() returned PENDING (the invocation is ${state})`);
      state = "running";
      roundStart = journal.issued.length;
      for (const record of records) journal.apply(record);
      const ids = records.map((r) => r.Id);
      if (!invocation.plugins) return invocation.resume(ids);
      // With plugins, the awaits resume in the next round, after its onInvocationStart.
      if (request.updatedOperationIds) updatedIds = ids;
      resumeInNextRound = ids;
    },
    close() {
      state = "closed";
      invocation.close();
    },
  };
}

/** Runs the handler once from its first line against the journal, until it settles or suspends. */
export async function runInvocation(request: InvocationRequest): Promise<InvocationOutcome> {
  const live = startInvocation(request);
  try {
    return await live.next();
  } finally {
    live.close();
  }
}

/** What the plugins' onInvocationEnd is told about a round: its status, the handler's value or error. */
function pluginEndOf(outcome: InvocationOutcome, end: Settled | Termination | undefined): Pick<InvocationEndInfo, "status" | "executionResult" | "executionError"> {
  if (outcome.status === "PENDING") return { status: "PENDING" };
  if (outcome.status === "SUCCEEDED") return { status: "SUCCEEDED", executionResult: end?.kind === "returned" ? end.value : undefined };
  const raw = end?.kind === "threw" || end?.kind === "fatal" ? end.error : undefined;
  const error = raw instanceof Error ? raw : new Error(outcome.error.ErrorMessage ?? String(raw));
  return { status: "FAILED", executionError: error };
}

/** A round's outcome in the shape a durable invocation answers (what wrapInvocation's function returns). */
function invocationOutput(outcome: InvocationOutcome): DurableExecutionInvocationOutput {
  if (outcome.status === "SUCCEEDED") return { Status: "SUCCEEDED", Result: outcome.result };
  if (outcome.status === "FAILED") return { Status: "FAILED", Error: outcome.error };
  return { Status: "PENDING" };
}

/** The outcome of a handler that returned: its serialized result, unless that cannot be stored. */
async function resultOutcome(
  value: unknown,
  executionArn: string,
  limit: number,
  trail: () => { issued: string[]; unconsumed: string[] },
): Promise<InvocationOutcome> {
  let result: string | undefined;
  try {
    result = await defaultSerdes.serialize(value, { entityId: "execution", durableExecutionArn: executionArn });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: "FAILED", error: errorToObject(new SerdesFailedError(`The handler's result cannot be returned: ${reason}`)), nonDeterministic: false, ...trail() };
  }
  if (result !== undefined && Buffer.byteLength(result, "utf8") > limit) {
    const error = new SerdesFailedError(`The handler's result is ${Buffer.byteLength(result, "utf8")} bytes, over the ${limit}-byte payload limit.`);
    return { status: "FAILED", error: errorToObject(error), nonDeterministic: false, ...trail() };
  }
  return { status: "SUCCEEDED", result, ...trail() };
}
