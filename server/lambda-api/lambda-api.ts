// The Lambda API's operations over replayable's engine: Invoke starts durable executions of the
// hosted functions, whose worker processes call CheckpointDurableExecution and
// GetDurableExecutionState back (live-invocations.ts); the other durable APIs read and drive
// executions in the engine's store.
import { randomUUID } from "node:crypto";
import type { Engine, EngineStore, ExecutionRow } from "../../engine/index.js";
import { CallbackNotWaitingError, ExecutionNotStoppableError, UnknownCallbackError } from "../../engine/input-checks.js";
import { buildHistory } from "../../history/aws-history.js";
import { toBoundaries, type InvocationEnd } from "../../history/invocation-boundaries.js";
import { lambdaStatusOf } from "../../engine/execution-status.js";
import type { ErrorObject } from "../../runtime/operation-model.js";
import type { CheckpointDurableExecutionRequest } from "../../runtime/lambda/wire.js";
import { durableConfigOf, pastRetention } from "./durable-config.js";
import { executionArnOf, executionIdInArn, functionArn, parseEngineName, type FunctionCatalog, type FunctionVersion } from "./functions.js";
import { alreadyStarted, conflict, invalidParameter, invalidRequestContent, notFound, tooLarge } from "./lambda-errors.js";
import { LiveInvocations } from "./live-invocations.js";
import { WorkerPool, type WorkerCommand } from "./worker-pool.js";

/** Lambda's limits on an Invoke request's payload. */
const SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const EVENT_PAYLOAD_BYTES = 1024 * 1024;
/** The largest durable execution input (the engine's limit, and Lambda's). */
const DURABLE_INPUT_BYTES = 256 * 1024;
const EXECUTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const PAGE = 100;

export interface InvokeRequest {
  functionName: string;
  qualifier?: string | undefined;
  invocationType?: string | undefined;
  executionName?: string | undefined;
  payload: Buffer;
}

export interface InvokeAnswer {
  statusCode: number;
  payload: string;
  executedVersion: string;
  executionArn: string;
  functionError?: string | undefined;
}

export interface LambdaApiOptions {
  engine: Engine;
  store: EngineStore;
  catalog: FunctionCatalog;
  /** How a worker process for a function version is started (the caller knows how to load handler files). */
  workerCommand: (version: FunctionVersion) => WorkerCommand;
  /** Worker processes per function version at most (default 4). */
  workersPerFunction?: number;
  /** How long a sync Invoke waits for its execution (default 15 minutes, as Lambda). */
  syncTimeoutMs?: number;
  /** The engine's clock (RetentionPeriodInDays is counted on it). */
  clock?: () => number;
}

export class LambdaApi {
  private readonly engine: Engine;
  private readonly store: EngineStore;
  private readonly catalog: FunctionCatalog;
  private readonly syncTimeoutMs: number;
  private readonly clock: () => number;
  private readonly invocations: LiveInvocations;
  private readonly pools: WorkerPool[] = [];

  constructor(options: LambdaApiOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.catalog = options.catalog;
    this.syncTimeoutMs = options.syncTimeoutMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
    this.invocations = new LiveInvocations(async (arn) => (await this.executionFor(arn), true), this.clock);
    for (const version of this.catalog.versions()) {
      const pool = new WorkerPool(options.workerCommand(version), options.workersPerFunction ?? 4, `${version.definition.name}:${version.version} (${version.definition.file})`);
      this.pools.push(pool);
      this.engine.register(version.engineName, this.invocations.functionFor(version, pool));
    }
  }

  close(): void {
    for (const pool of this.pools) pool.close();
  }

  async invoke(request: InvokeRequest): Promise<InvokeAnswer> {
    const event = request.invocationType === "Event";
    if (request.invocationType !== undefined && request.invocationType !== "Event" && request.invocationType !== "RequestResponse") {
      throw invalidParameter(`InvocationType ${request.invocationType} is not supported by replayable serve for a durable function: use RequestResponse or Event.`);
    }
    const limit = event ? EVENT_PAYLOAD_BYTES : SYNC_PAYLOAD_BYTES;
    if (request.payload.length > limit) throw tooLarge(`Request must be smaller than ${limit} bytes for the InvokeFunction operation (got ${request.payload.length}).`);
    if (request.payload.length > DURABLE_INPUT_BYTES) throw tooLarge(`The durable execution input is ${request.payload.length} bytes, over the ${DURABLE_INPUT_BYTES}-byte limit.`);
    const version = this.catalog.resolve(request.functionName, request.qualifier);
    const input = parsePayload(request.payload);
    const name = request.executionName ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw invalidParameter(`Invalid DurableExecutionName ${JSON.stringify(name)}: use 1 to 64 letters, digits, - and _, starting with a letter or digit.`);

    const existing = await this.engine.getExecution(name);
    if (existing && this.pastRetention(existing)) {
      throw alreadyStarted(`Durable execution ${name} ended longer ago than its function's RetentionPeriodInDays; its name stays taken in this store: use another DurableExecutionName.`);
    }
    if (existing && (existing.functionName !== version.engineName || existing.input !== JSON.stringify(input ?? {}))) {
      throw alreadyStarted(
        `Durable execution ${name} already exists (${executionArnOf(existing.functionName, name)}) with ${existing.functionName === version.engineName ? "another payload" : "another function version"}; use another DurableExecutionName.`,
      );
    }
    const execution = existing ?? (await this.engine.start(version.engineName, input ?? {}, { executionId: name }));
    const executionArn = executionArnOf(version.engineName, execution.executionId);
    if (event) return { statusCode: 202, payload: "", executedVersion: version.version, executionArn };
    const ended = await this.engine.waitForExecution(execution.executionId, { timeoutMs: this.syncTimeoutMs });
    const status = await lambdaStatusOf(this.store, ended);
    if (status === "SUCCEEDED") return { statusCode: 200, payload: ended.result ?? "null", executedVersion: version.version, executionArn };
    const error = ended.error ?? {};
    return {
      statusCode: 200,
      functionError: "Unhandled",
      payload: JSON.stringify({ errorType: error.ErrorType ?? "Error", errorMessage: error.ErrorMessage ?? status, ...(error.StackTrace && { stackTrace: error.StackTrace }) }),
      executedVersion: version.version,
      executionArn,
    };
  }

  checkpoint(arn: string, request: Omit<CheckpointDurableExecutionRequest, "DurableExecutionArn">) {
    return this.invocations.checkpoint(arn, request);
  }

  getState(arn: string, token: string | undefined, marker: string | undefined, maxItems: number | undefined) {
    return this.invocations.getState(arn, token, marker, maxItems);
  }

  /** How an invocation whose worker failed ended (the engine records no end for it). */
  invocationEnd(requestId: string): InvocationEnd | undefined {
    return this.invocations.failedEnd(requestId);
  }

  async getExecution(arn: string) {
    const execution = await this.executionFor(arn);
    const { name, version } = parseEngineName(execution.functionName);
    const status = await lambdaStatusOf(this.store, execution);
    return {
      DurableExecutionArn: arn,
      DurableExecutionName: execution.executionId,
      FunctionArn: functionArn(name, version),
      InputPayload: execution.input,
      ...(execution.result !== undefined && { Result: execution.result }),
      ...(execution.error !== undefined && { Error: execution.error }),
      StartTimestamp: new Date(execution.createdAt),
      Status: status,
      ...(execution.endedAt !== undefined && { EndTimestamp: new Date(execution.endedAt) }),
      Version: version,
    };
  }

  async getHistory(arn: string, options: { includeExecutionData?: boolean; maxItems?: number; marker?: string; reverseOrder?: boolean }) {
    const execution = await this.executionFor(arn);
    const status = await lambdaStatusOf(this.store, execution);
    const [updates, invocations] = await Promise.all([this.engine.history(execution.executionId), this.engine.invocations(execution.executionId)]);
    let events = buildHistory({ ...execution, status }, updates, toBoundaries(invocations, updates, { status }, (requestId) => this.invocationEnd(requestId)));
    if (!options.includeExecutionData) events = events.map(withoutPayloads);
    if (options.reverseOrder) events.reverse();
    return page(events, options.marker, options.maxItems, "Events");
  }

  async listByFunction(functionName: string, options: { qualifier?: string; executionName?: string; statuses?: string[]; startedAfter?: Date; startedBefore?: Date; reverseOrder?: boolean; marker?: string; maxItems?: number }) {
    const { definition, qualifier } = this.catalog.function(functionName, options.qualifier);
    const wanted = qualifier === undefined || qualifier === "$LATEST" ? "$LATEST" : (definition.aliases[qualifier] ?? qualifier);
    const rows = (await this.engine.listExecutions()).filter((row) => {
      const parsed = parseEngineName(row.functionName);
      return parsed.name === definition.name && parsed.version === wanted;
    });
    const summaries = [];
    for (const row of rows) {
      if (this.pastRetention(row)) continue;
      const status = await lambdaStatusOf(this.store, row);
      if (options.statuses?.length && !options.statuses.includes(status)) continue;
      if (options.executionName !== undefined && row.executionId !== options.executionName) continue;
      if (options.startedAfter && row.createdAt < options.startedAfter.getTime()) continue;
      if (options.startedBefore && row.createdAt > options.startedBefore.getTime()) continue;
      summaries.push({
        DurableExecutionArn: executionArnOf(row.functionName, row.executionId),
        DurableExecutionName: row.executionId,
        FunctionArn: functionArn(definition.name, wanted),
        Status: status,
        StartTimestamp: new Date(row.createdAt),
        ...(row.endedAt !== undefined && { EndTimestamp: new Date(row.endedAt) }),
      });
    }
    // The store lists newest first; Lambda lists oldest first unless ReverseOrder.
    if (!options.reverseOrder) summaries.reverse();
    return page(summaries, options.marker, options.maxItems, "DurableExecutions");
  }

  /** StopDurableExecution: the engine's stop (a fencing claim, then one commit). */
  async stop(arn: string, error: ErrorObject | undefined) {
    const execution = await this.executionFor(arn);
    try {
      const { stoppedAt } = await this.engine.stopExecution(execution.executionId, { ErrorMessage: "The execution was stopped with StopDurableExecution", ...error });
      return { StopTimestamp: new Date(stoppedAt) };
    } catch (caught) {
      if (caught instanceof ExecutionNotStoppableError) throw conflict(caught.message);
      throw caught;
    }
  }

  async callback(callbackId: string, outcome: { kind: "succeed"; result: string } | { kind: "fail"; error: ErrorObject } | { kind: "heartbeat" }): Promise<void> {
    try {
      if (outcome.kind === "succeed") await this.engine.sendCallbackSuccess(callbackId, outcome.result);
      else if (outcome.kind === "fail") await this.engine.sendCallbackFailure(callbackId, outcome.error);
      else await this.engine.sendCallbackHeartbeat(callbackId);
    } catch (error) {
      if (error instanceof UnknownCallbackError || error instanceof CallbackNotWaitingError || error instanceof TypeError) throw invalidParameter(error.message);
      if (error instanceof RangeError) throw tooLarge(error.message);
      throw error;
    }
  }

  private pastRetention(execution: ExecutionRow): boolean {
    return pastRetention(durableConfigOf(this.catalog, execution), execution, this.clock());
  }

  private async executionFor(arn: string): Promise<ExecutionRow> {
    const id = executionIdInArn(arn);
    const execution = id === undefined ? undefined : await this.engine.getExecution(id);
    if (!execution || executionArnOf(execution.functionName, execution.executionId) !== arn || this.pastRetention(execution)) {
      throw notFound(`Durable execution not found: ${arn}.`);
    }
    return execution;
  }
}

function parsePayload(payload: Buffer): unknown {
  if (payload.length === 0) return undefined;
  try {
    return JSON.parse(payload.toString("utf8"));
  } catch (error) {
    throw invalidRequestContent(`Could not parse request body into json: ${(error as Error).message}. A durable function's input is a JSON document.`);
  }
}

/** GetDurableExecutionHistory without IncludeExecutionData: events without their payloads. */
function withoutPayloads<T extends object>(event: T): T {
  return JSON.parse(JSON.stringify(event, (key, value) => (key === "Payload" && typeof value === "string" ? undefined : value)), (key, value) =>
    typeof value === "string" && /Timestamp$/.test(key) ? new Date(value) : value,
  ) as T;
}

/** A page of a list and the marker of the next one (an offset). */
function page<T, K extends string>(items: T[], marker: string | undefined, maxItems: number | undefined, key: K): Record<K, T[]> & { NextMarker?: string } {
  let offset = 0;
  if (marker !== undefined) {
    offset = Number(Buffer.from(marker, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) throw invalidParameter(`Invalid Marker ${JSON.stringify(marker)}: pass the NextMarker of the previous page.`);
  }
  const size = Math.max(1, Math.min(1000, maxItems ?? PAGE));
  const next = offset + size;
  return { [key]: items.slice(offset, next), ...(next < items.length && { NextMarker: Buffer.from(String(next)).toString("base64url") }) } as Record<K, T[]> & { NextMarker?: string };
}
