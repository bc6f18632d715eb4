import type { OperationRecord } from "./operation-model.js";

/** Where an execution's records live between invocations (memory in tests, SQLite in the engine). */
export interface JournalStore {
  /** The records as they stand when an invocation starts. */
  load(): Iterable<OperationRecord>;
  /** Persists one record, replacing any record with the same Id. Calls arrive in order. */
  save(record: OperationRecord): void | Promise<void>;
  /**
   * Optional: persists several records at once, in order, all or none (the engine's SQLite
   * store: one transaction). When present, it is used instead of save, and records written
   * while a batch is being saved go together in the next call.
   */
  saveBatch?(records: OperationRecord[]): void | Promise<void>;
  /**
   * Optional: false once the claim this invocation runs under may have expired (the engine's
   * lease, unrenewed while the event loop was blocked): another worker may have taken the
   * execution over, so no step body may start any more. Asked synchronously right before one.
   */
  holdsClaim?(): boolean;
}

interface QueuedWrite {
  record: OperationRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The journal's serial write queue: a record is durable before any record written after
 * it, and each write's promise resolves once its own record is durable. After a failed
 * save nothing more is saved: that write and every later one reject with its error (with
 * saveBatch, the whole failed batch does, since the batch is all or none).
 */
export class JournalWriter {
  private queue: QueuedWrite[] = [];
  private draining: Promise<void> | undefined;
  private drainScheduled = false;
  private failed = false;
  private error: unknown;

  constructor(private readonly store: JournalStore) {}

  /**
   * Queues a record. A deferred write is one the code does not wait for (an at-least-once
   * step's start, as in the official SDK): its save waits for the event loop's next turn, so
   * a step body that finishes sooner sends its result in the same batch (one commit, one
   * checkpoint) instead of a second one. Any write not deferred takes it along earlier.
   */
  write(record: OperationRecord, options: { deferred?: boolean } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!options.deferred) this.draining ??= this.drain();
      else if (!this.draining && !this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(() => {
          this.drainScheduled = false;
          if (this.queue.length > 0) this.draining ??= this.drain();
        });
      }
    });
  }

  /** Waits until every write issued so far is durable; rejects if any failed. */
  async flush(): Promise<void> {
    if (this.queue.length > 0) this.draining ??= this.drain();
    await this.draining;
    if (this.failed) throw this.error;
  }

  private async drain(): Promise<void> {
    // Start after the current job, so the writes one synchronous stretch of code issues go together.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.store.saveBatch ? this.queue.splice(0) : this.queue.splice(0, 1);
      if (!this.failed) {
        try {
          if (this.store.saveBatch) await this.store.saveBatch(batch.map((w) => w.record));
          else await this.store.save(batch[0]!.record);
        } catch (error) {
          this.failed = true;
          this.error = error;
        }
      }
      for (const w of batch) {
        if (this.failed) w.reject(this.error);
        else w.resolve();
      }
    }
    this.draining = undefined;
  }
}
