import { CallbackNotWaitingError, ExecutionNotStoppableError, UnknownCallbackError, type Engine } from "../engine/index.js";
import { LAMBDA_EXECUTION_STATUSES, lambdaStatusOf, listWithLambdaStatus, type LambdaExecutionFilter, type LambdaExecutionStatus } from "../engine/execution-status.js";
import type { EngineStore, ExecutionRow } from "../engine/store.js";
import { buildHistory } from "../history/aws-history.js";
import { toBoundaries, type InvocationEnd } from "../history/invocation-boundaries.js";
import type { OperationRecord } from "../runtime/operation-model.js";
import { divergenceOf } from "./console-divergence.js";
import { errorSummary, errorText, isSealed, payloadView, recordPayloads, type PayloadView } from "./console-payloads.js";
import { buildTimeline } from "./console-timeline.js";

// The console's JSON endpoints: what the pages read, and the callback actions, which are the
// same engine calls as `replayable callback` with the same checks (an unknown id, a callback no
// longer waiting, JSON that does not parse), answered with the same messages.

export interface ConsoleContext {
  store: EngineStore;
  /** An engine without a worker: callback completions go through it, as in the CLI. */
  engine: Engine;
  /** How a function is shown (the CLI passes its file#export form)... */
  describeFunction: (functionName: string) => string;
  /** ...and back: the stored name of a function as the page shows it (the list's function filter). */
  storedFunctionName: (shown: string) => string;
  clock: () => number;
  /** How an invocation whose worker failed ended (serve knows; the store does not), as serve's history shows it. */
  invocationEnd?: ((requestId: string) => InvocationEnd | undefined) | undefined;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

export async function listExecutions(ctx: ConsoleContext, query: URLSearchParams) {
  const filter = filterOf(query, ctx);
  // One row more than asked tells whether a next page exists, without counting them all.
  const rows = await listWithLambdaStatus(ctx.store, { ...filter, limit: filter.limit! + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    executions: page.map(({ row, status }) => summaryOf(ctx, row, status)),
    next: rows.length > page.length && last ? encodeCursor(last.row) : null,
  };
}

function filterOf(query: URLSearchParams, ctx: ConsoleContext): LambdaExecutionFilter {
  const status = query.get("status")?.toUpperCase() || undefined;
  if (status !== undefined && !LAMBDA_EXECUTION_STATUSES.includes(status as LambdaExecutionStatus)) throw new ApiError(400, `status must be one of ${LAMBDA_EXECUTION_STATUSES.join(", ")}; got ${status}`);
  const limit = query.get("limit") ? Number(query.get("limit")) : PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new ApiError(400, `limit must be an integer from 1 to ${MAX_PAGE_SIZE}; got ${query.get("limit")}`);
  const after = query.get("after");
  return {
    status: status as LambdaExecutionStatus | undefined,
    functionName: query.get("function") ? ctx.storedFunctionName(query.get("function")!.trim()) : undefined,
    text: query.get("text") || undefined,
    createdFrom: timeParam(query, "from"),
    createdBefore: timeParam(query, "to"),
    after: after ? decodeCursor(after) : undefined,
    limit,
  };
}

function timeParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (!text) return undefined;
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(time)) throw new ApiError(400, `${name} must be a date (2026-12-01T10:00) or milliseconds since 1970; got ${text}`);
  return time;
}

/** The position after the last row of a page (keyset paging: stable while executions are added). */
function encodeCursor(row: ExecutionRow): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.executionId])).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: number; executionId: string } {
  try {
    const [createdAt, executionId] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as [unknown, unknown];
    if (typeof createdAt === "number" && typeof executionId === "string") return { createdAt, executionId };
  } catch {
    // reported below
  }
  throw new ApiError(400, "after is not a cursor this console gave out: reload the list from its first page");
}

/** `status` as Lambda names it (lambdaStatusOf): TIMED_OUT and STOPPED are FAILED in the row. */
function summaryOf(ctx: ConsoleContext, row: ExecutionRow, status: string) {
  return {
    executionId: row.executionId,
    functionName: row.functionName,
    function: ctx.describeFunction(row.functionName),
    status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    endedAt: row.endedAt,
    nextWakeAt: row.nextWakeAt,
    invocations: row.invocations,
    error: errorSummary(row.error),
  };
}

async function requireExecution(ctx: ConsoleContext, executionId: string): Promise<ExecutionRow> {
  const row = await ctx.store.getExecution(executionId);
  if (!row) throw new ApiError(404, `No execution ${executionId} in this store; the list shows the executions there.`);
  return row;
}

export async function executionDetail(ctx: ConsoleContext, executionId: string) {
  const row = await requireExecution(ctx, executionId);
  const [operations, updates, invocations] = await Promise.all([ctx.store.loadOperations(executionId), ctx.store.loadUpdates(executionId), ctx.store.loadInvocations(executionId)]);
  const timeline = buildTimeline(row, updates, invocations, ctx.clock());
  const rowsById = new Map(timeline.rows.map((r) => [r.id, r]));
  const views = operations.map((record) => operationView(record, rowsById.get(record.Id)?.segments ?? []));
  const payloads = executionPayloadValues(row).map(({ label, value }) => payloadView(label, value));
  return {
    execution: { ...summaryOf(ctx, row, await lambdaStatusOf(ctx.store, row)), parent: row.parent, payloads },
    operations: views,
    timeline,
    divergence: divergenceOf(row.error, operations),
    /** Some payload is encrypted and the console was not given its key. */
    encrypted: [...payloads, ...views.flatMap((v) => v.payloads)].some((p) => p.encrypted),
  };
}

/** The execution's own payloads, full length, labelled as the page shows them. */
function executionPayloadValues(row: ExecutionRow): Array<{ label: string; value: string }> {
  return [
    { label: "Input", value: row.input },
    ...(row.result !== undefined ? [{ label: "Result", value: row.result }] : []),
    ...(row.error !== undefined ? [{ label: "Error", value: errorText(row.error) }] : []),
  ];
}

function operationView(record: OperationRecord, segments: ReturnType<typeof buildTimeline>["rows"][number]["segments"]) {
  return {
    id: record.Id,
    parentId: record.ParentId,
    name: record.Name,
    type: record.Type,
    subType: record.SubType,
    status: record.Status,
    start: new Date(record.StartTimestamp).getTime(),
    end: record.EndTimestamp ? new Date(record.EndTimestamp).getTime() : undefined,
    sourcePosition: record.SourcePosition,
    callbackId: record.CallbackDetails?.CallbackId,
    waitingForCallback: record.Type === "CALLBACK" && record.Status === "STARTED",
    scheduledEnd: record.WaitDetails?.ScheduledEndTimestamp ? new Date(record.WaitDetails.ScheduledEndTimestamp).getTime() : undefined,
    nextAttemptAt: record.StepDetails?.NextAttemptTimestamp ? new Date(record.StepDetails.NextAttemptTimestamp).getTime() : undefined,
    attempts: segments.filter((s) => s.kind === "run" && s.attempt !== undefined),
    payloads: recordPayloads(record).map(({ label, value }) => payloadView(label, value)),
  };
}

/** One payload in full (the page shows a preview and asks for the rest). */
export async function fullPayload(ctx: ConsoleContext, executionId: string, query: URLSearchParams): Promise<PayloadView> {
  const row = await requireExecution(ctx, executionId);
  const operationId = query.get("operation");
  const label = query.get("label") ?? "";
  let payloads = executionPayloadValues(row);
  if (operationId) {
    const record = await ctx.store.loadOperation(executionId, operationId);
    if (!record) throw new ApiError(404, `Execution ${executionId} has no operation ${operationId}.`);
    payloads = recordPayloads(record);
  }
  const found = payloads.find((p) => p.label === label);
  if (!found) throw new ApiError(404, `No payload ${JSON.stringify(label)} on ${operationId ?? "the execution"}.`);
  return payloadView(found.label, found.value, Infinity);
}

/** The history in AWS's event vocabulary: GetDurableExecutionHistory's events, with the same invocation boundaries. */
export async function executionHistory(ctx: ConsoleContext, executionId: string) {
  const row = await requireExecution(ctx, executionId);
  const [updates, invocations] = await Promise.all([ctx.store.loadUpdates(executionId), ctx.store.loadInvocations(executionId)]);
  // A stopped or timed-out execution is FAILED in the store; its history ends with ExecutionStopped or ExecutionTimedOut, as Lambda's.
  const status = await lambdaStatusOf(ctx.store, row);
  return { executionId, events: buildHistory({ ...row, status }, updates, toBoundaries(invocations, updates, { status }, ctx.invocationEnd)) };
}

export type CallbackAction = "succeed" | "fail" | "heartbeat";

/** Completes or keeps alive a callback: the engine call `replayable callback` makes, with its checks. */
export async function callbackAction(ctx: ConsoleContext, callbackId: string, action: CallbackAction, body: unknown): Promise<{ message: string }> {
  const input = (body ?? {}) as { result?: unknown; message?: unknown };
  await refuseSealedWithoutKey(ctx, callbackId);
  try {
    if (action === "succeed") {
      const text = typeof input.result === "string" ? input.result : undefined;
      if (text === undefined) throw new ApiError(400, "give the callback's result as JSON text");
      try {
        JSON.parse(text);
      } catch (error) {
        throw new ApiError(400, `The result must be JSON (${(error as Error).message}); for a string, quote it: "approved".`);
      }
      await ctx.engine.sendCallbackSuccess(callbackId, text);
    } else if (action === "fail") {
      if (typeof input.message !== "string" || input.message === "") throw new ApiError(400, "give the failure's message");
      await ctx.engine.sendCallbackFailure(callbackId, input.message);
    } else {
      await ctx.engine.sendCallbackHeartbeat(callbackId);
    }
  } catch (error) {
    if (error instanceof UnknownCallbackError || error instanceof CallbackNotWaitingError) throw new ApiError(error instanceof UnknownCallbackError ? 404 : 409, error.message);
    if (error instanceof TypeError || error instanceof RangeError) throw new ApiError(400, error.message);
    throw error;
  }
  const what = action === "succeed" ? "succeeded" : action === "fail" ? "failed" : "heartbeat sent";
  return { message: `Callback ${what}: the execution continues when a worker picks it up (the replayable run that follows it, or replayable resume).` };
}

/** Stops a running execution: the engine's stop, as serve's StopDurableExecution. */
export async function stopAction(ctx: ConsoleContext, executionId: string, body: unknown): Promise<{ message: string }> {
  const input = (body ?? {}) as { message?: unknown };
  if (input.message !== undefined && typeof input.message !== "string") throw new ApiError(400, "give the reason as text");
  const execution = await ctx.store.getExecution(executionId);
  if (!execution) throw new ApiError(404, `No execution ${executionId} in this store; the list shows the executions there.`);
  if (isSealed(execution.input)) {
    throw new ApiError(409, `Execution ${executionId}'s payloads are encrypted and this console has no key: start it with --key-file to stop it.`);
  }
  try {
    await ctx.engine.stopExecution(executionId, input.message ? { ErrorMessage: input.message } : undefined);
  } catch (error) {
    if (error instanceof ExecutionNotStoppableError) throw new ApiError(409, error.message);
    throw error;
  }
  return { message: `Execution ${executionId} stopped: it ends FAILED with its EXECUTION operation STOPPED, and no worker runs it again.` };
}

/**
 * A store written with encryptPayloads holds its inputs sealed; read without the key they
 * still are. A completion sent from such a console would be stored in plaintext, which the
 * engine reading with the key does not accept: refuse it, and say how to send it.
 */
async function refuseSealedWithoutKey(ctx: ConsoleContext, callbackId: string): Promise<void> {
  const target = await ctx.store.findCallback(callbackId).catch(() => undefined);
  const execution = target && (await ctx.store.getExecution(target.executionId));
  if (execution && isSealed(execution.input)) {
    throw new ApiError(409, `Execution ${execution.executionId}'s payloads are encrypted and this console has no key: start it with --key-file to complete its callbacks.`);
  }
}
