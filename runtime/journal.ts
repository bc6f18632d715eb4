import { SerdesFailedError } from "./errors.js";
import { JournalWriter, type JournalStore } from "./journal-writer.js";
import { isTerminalStatus, ReplayableSubType, type OperationRecord } from "./operation-model.js";

export type { JournalStore };

const ROOT = "";

/**
 * Whether a record is an operation the handler must issue again on replay. The EXECUTION
 * record is not; neither is a patch marker: once every execution that started before a
 * patch is gone, its patched() call may be removed, and executions that recorded the
 * marker must still replay (as with Temporal's deprecatePatch).
 */
const mustBeMetAgain = (record: OperationRecord): boolean => record.Type !== "EXECUTION" && record.SubType !== ReplayableSubType.PATCH;

/**
 * One invocation's view of the journal: the recorded operations keyed by id, which of them
 * the handler has consumed so far, and a serial write queue (a record is durable before
 * any record written after it; see journal-writer.ts).
 */
export class Journal {
  private readonly records = new Map<string, OperationRecord>();
  private readonly consumed = new Set<string>();
  private readonly unconsumedCount = new Map<string, number>();
  /** The sum of unconsumedCount: lets a warm round over a long history skip the scan below. */
  private unconsumedTotal = 0;
  private readonly drainWaiters = new Map<string, Array<() => void>>();
  private readonly writer: JournalWriter;
  /** Ids the handler issued in this invocation, in call order. */
  readonly issued: string[] = [];

  constructor(
    private readonly store: JournalStore,
    readonly maxPayloadBytes: number,
  ) {
    this.writer = new JournalWriter(store);
    for (const record of store.load()) {
      this.records.set(record.Id, record);
      if (mustBeMetAgain(record)) this.adjustUnconsumed(record.ParentId, +1);
    }
  }

  /** Whether a step body may start now (JournalStore.holdsClaim; true when the store cannot tell). */
  holdsClaim(): boolean {
    return this.store.holdsClaim?.() ?? true;
  }

  get(id: string): OperationRecord | undefined {
    return this.records.get(id);
  }

  /** Every record as this invocation knows it now. */
  all(): Iterable<OperationRecord> {
    return this.records.values();
  }

  /** Marks a recorded operation as met by the handler in this invocation. */
  consume(id: string): void {
    this.issued.push(id);
    const record = this.records.get(id);
    if (this.consumed.has(id) || !record) return;
    this.consumed.add(id);
    if (mustBeMetAgain(record)) this.adjustUnconsumed(record.ParentId, -1);
  }

  /** A completed child context is not re-entered on replay: its descendants count as consumed. */
  consumeDescendants(id: string): void {
    const prefix = `${id}/`;
    for (const record of this.records.values()) {
      if (record.Id.startsWith(prefix) && !this.consumed.has(record.Id)) {
        this.consumed.add(record.Id);
        if (mustBeMetAgain(record)) this.adjustUnconsumed(record.ParentId, -1);
      }
    }
  }

  unconsumedIn(parentId: string | undefined): number {
    return this.unconsumedCount.get(parentId ?? ROOT) ?? 0;
  }

  /** The earliest recorded, not yet consumed operation of a context (for divergence messages). */
  firstUnconsumedIn(parentId: string | undefined): OperationRecord | undefined {
    for (const record of this.records.values()) {
      if (mustBeMetAgain(record) && record.ParentId === parentId && !this.consumed.has(record.Id)) return record;
    }
    return undefined;
  }

  unconsumedIds(): string[] {
    if (this.unconsumedTotal === 0) return [];
    return [...this.records.values()].filter((r) => mustBeMetAgain(r) && !this.consumed.has(r.Id)).map((r) => r.Id);
  }

  /** Resolves when every recorded operation of the context has been consumed. */
  whenDrained(parentId: string | undefined): Promise<void> {
    if (this.unconsumedIn(parentId) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const key = parentId ?? ROOT;
      this.drainWaiters.set(key, [...(this.drainWaiters.get(key) ?? []), resolve]);
    });
  }

  /** Records a new state for an operation; resolves once it is durable (deferred: see JournalWriter.write). */
  write(record: OperationRecord, options?: { deferred?: boolean }): Promise<void> {
    this.checkPayloadSize(record);
    const isNew = !this.records.has(record.Id);
    this.records.set(record.Id, record);
    if (isNew) this.consumed.add(record.Id);
    return this.writer.write(record, options);
  }

  /**
   * A new state the host has already persisted (a wait that fired, a callback result):
   * this view takes it without saving it again. An id the journal does not know counts
   * as recorded and not yet met, as if it had been loaded.
   */
  apply(record: OperationRecord): void {
    const isNew = !this.records.has(record.Id);
    this.records.set(record.Id, record);
    if (isNew && mustBeMetAgain(record)) this.adjustUnconsumed(record.ParentId, +1);
  }

  /**
   * Whether a child context around the operation has completed. Replays never re-enter a
   * completed context, so what was still suspended inside it (an item a map abandoned at
   * minSuccessful, the loser of a race) must not go on when resumed warm either.
   */
  isInsideCompletedContext(id: string): boolean {
    for (let parent = this.records.get(id)?.ParentId; parent !== undefined; ) {
      const context = this.records.get(parent);
      if (context === undefined) return false;
      if (context.Type === "CONTEXT" && isTerminalStatus(context.Status)) return true;
      parent = context.ParentId;
    }
    return false;
  }

  /** Waits until every write issued so far is durable. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private adjustUnconsumed(parentId: string | undefined, delta: number): void {
    const key = parentId ?? ROOT;
    const next = (this.unconsumedCount.get(key) ?? 0) + delta;
    this.unconsumedCount.set(key, next);
    this.unconsumedTotal += delta;
    if (next === 0) {
      const waiters = this.drainWaiters.get(key) ?? [];
      this.drainWaiters.delete(key);
      for (const wake of waiters) wake();
    }
  }

  private checkPayloadSize(record: OperationRecord): void {
    const payloads = [
      record.StepDetails?.Result,
      record.ContextDetails?.Result,
      record.CallbackDetails?.Result,
      record.ChainedInvokeDetails?.Result,
      record.ChainedInvokeOptions?.InputPayload,
    ];
    for (const payload of payloads) {
      if (payload === undefined) continue;
      const bytes = Buffer.byteLength(payload, "utf8");
      if (bytes > this.maxPayloadBytes) {
        throw new SerdesFailedError(
          `The result of ${describeRecord(record)} is ${bytes} bytes, over the ${this.maxPayloadBytes}-byte payload limit; ` +
            `return less data (store large data elsewhere and return a reference) or raise maxPayloadBytes.`,
        );
      }
    }
  }
}

export function describeRecord(record: Pick<OperationRecord, "Id" | "Name" | "Type" | "SubType" | "SourcePosition">): string {
  const what = `${record.SubType ?? record.Type}${record.Name !== undefined ? ` "${record.Name}"` : ""}`;
  return `${what} (id ${record.Id}${record.SourcePosition ? ` at ${record.SourcePosition}` : ""})`;
}
