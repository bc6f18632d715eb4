import type { JournalStore } from "../journal.js";
import type { OperationRecord } from "../operation-model.js";
import { keyedIds, lambdaOperationId } from "./operation-ids.js";
import { toRecord, updatesFor } from "./record-updates.js";
import type { DurableExecutionClient, DurableExecutionInvocationInput, OperationUpdate, WireOperation } from "./wire.js";

/** Operations asked for per GetDurableExecutionState page (the most Lambda returns). */
const STATE_PAGE_SIZE = 1000;
/** A checkpoint request is kept under this size; more updates go in the next request. */
export const MAX_CHECKPOINT_BYTES = 512 * 1024;

/**
 * Whether a failed call ends only this invocation (Lambda invokes the function again and it
 * replays) or the whole execution. A stale or unknown checkpoint token, throttling and
 * service errors end the invocation; any other client error (4xx) means the service refused
 * what the handler did, which no retry can change.
 */
export type FailureScope = "INVOCATION" | "EXECUTION";

export function failureScope(error: unknown): FailureScope {
  const { name, message, $metadata } = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (name === "InvalidParameterValueException" && String(message).startsWith("Invalid Checkpoint Token")) return "INVOCATION";
  return status !== undefined && status >= 400 && status < 500 && status !== 429 ? "EXECUTION" : "INVOCATION";
}

/**
 * The journal of one Lambda invocation: the execution's state as the service handed it (the
 * invocation event's first page, GetDurableExecutionState for the rest), and every write
 * sent to the service as a checkpoint. Each checkpoint consumes the current token and the
 * answer carries the next one, so checkpoints go one at a time, in order; writes queued
 * meanwhile go together in the next one (the journal's write queue batches them).
 */
export class ServiceJournal implements JournalStore {
  private token: string;
  /** The last state of each operation the service knows, by keyed id. */
  private readonly known = new Map<string, OperationRecord>();
  private readonly keyedByWireId = new Map<string, string>();
  /** The first failed call; every later write fails with it. */
  failure: { error: unknown; scope: FailureScope } | undefined;

  private constructor(
    private readonly client: DurableExecutionClient,
    private readonly executionArn: string,
    token: string,
    operations: WireOperation[],
    private readonly clock: () => number,
  ) {
    this.token = token;
    const keyed = keyedIds(operations);
    for (const [wireId, keyedId] of keyed) this.keyedByWireId.set(wireId, keyedId);
    const keyOf = (wireId: string) => keyed.get(wireId) ?? wireId;
    for (const op of operations) {
      const record = toRecord(op, keyOf);
      this.known.set(record.Id, record);
    }
  }

  /** Reads the whole state: the event's operations, then every further page. */
  static async open(client: DurableExecutionClient, event: DurableExecutionInvocationInput, clock: () => number = Date.now): Promise<ServiceJournal> {
    const operations = [...(event.InitialExecutionState?.Operations ?? [])];
    for (let marker = event.InitialExecutionState?.NextMarker; marker; ) {
      const page = await client.getExecutionState({ DurableExecutionArn: event.DurableExecutionArn, CheckpointToken: event.CheckpointToken, Marker: marker, MaxItems: STATE_PAGE_SIZE });
      operations.push(...(page.Operations ?? []));
      marker = page.NextMarker;
    }
    return new ServiceJournal(client, event.DurableExecutionArn, event.CheckpointToken, operations, clock);
  }

  load(): Iterable<OperationRecord> {
    return this.known.values();
  }

  save(record: OperationRecord): Promise<void> {
    return this.saveBatch([record]);
  }

  async saveBatch(records: OperationRecord[]): Promise<void> {
    if (this.failure) throw this.failure.error;
    const now = this.clock();
    const updates: OperationUpdate[] = [];
    const written = new Map<string, OperationRecord>();
    for (const record of records) {
      updates.push(...updatesFor(record, this.known.get(record.Id), now));
      this.known.set(record.Id, record);
      this.keyedByWireId.set(lambdaOperationId(record.Id), record.Id);
      written.set(record.Id, record);
    }
    for (const request of checkpointRequests(updates)) await this.checkpoint(request, written);
  }

  /** Ends the execution with a result too large for the invocation's response (Lambda's 6 MB). */
  async succeedExecution(result: string): Promise<void> {
    const execution = [...this.known.values()].find((r) => r.Type === "EXECUTION");
    await this.checkpoint([{ Id: execution?.Id ?? "execution", Type: "EXECUTION", Action: "SUCCEED", Payload: result }], new Map());
  }

  private async checkpoint(updates: OperationUpdate[], written: Map<string, OperationRecord>): Promise<void> {
    if (this.failure) throw this.failure.error;
    try {
      const response = await this.client.checkpoint({ DurableExecutionArn: this.executionArn, CheckpointToken: this.token, Updates: updates });
      if (response.CheckpointToken) this.token = response.CheckpointToken;
      for (const op of response.NewExecutionState?.Operations ?? []) this.takeServiceFields(op, written);
    } catch (error) {
      this.failure = { error, scope: failureScope(error) };
      throw error;
    }
  }

  /**
   * The service assigns a callback's id: it goes into the record the handler wrote (the very
   * object the journal holds, so createCallback returns the service's id, as on Lambda).
   */
  private takeServiceFields(op: WireOperation, written: Map<string, OperationRecord>): void {
    const keyedId = this.keyedByWireId.get(op.Id);
    const record = keyedId === undefined ? undefined : written.get(keyedId);
    const callbackId = op.CallbackDetails?.CallbackId;
    if (record?.Type === "CALLBACK" && callbackId !== undefined) record.CallbackDetails = { ...record.CallbackDetails, CallbackId: callbackId };
  }
}

/**
 * Splits updates into checkpoint requests: each under MAX_CHECKPOINT_BYTES, and each with at
 * most one update per operation, except a step or context that starts and completes in the
 * same request (the only repeat Lambda accepts).
 */
export function checkpointRequests(updates: OperationUpdate[]): OperationUpdate[][] {
  const requests: OperationUpdate[][] = [];
  let current: OperationUpdate[] = [];
  let bytes = 0;
  let seen = new Map<string, OperationUpdate>();
  for (const update of updates) {
    const size = Buffer.byteLength(JSON.stringify(update), "utf8");
    const previous = seen.get(update.Id!);
    const repeatAllowed = previous !== undefined && (previous.Type === "STEP" || previous.Type === "CONTEXT") && previous.Action === "START" && update.Action !== "START";
    if (current.length > 0 && ((previous !== undefined && !repeatAllowed) || bytes + size > MAX_CHECKPOINT_BYTES)) {
      requests.push(current);
      current = [];
      bytes = 0;
      seen = new Map();
    }
    current.push(update);
    bytes += size;
    seen.set(update.Id!, update);
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
