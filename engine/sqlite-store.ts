import { existsSync, mkdirSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type { OperationRecord } from "../runtime/operation-model.js";
import { decodeRecord, encodeRecord } from "./record-codec.js";
import { callbackIdsOf, callbackRefusal, endedDispatch, endsExecution, endsExpiredLeases, type ExecutionFilter } from "./store-rules.js";
import {
  LeaseLostError,
  type CallbackOutcome,
  type CallbackSignalAnswer,
  type CallbackTarget,
  type CommitBatch,
  type DispatchClaim,
  type EngineStore,
  type ExecutionRow,
  type InvocationRow,
  type Lease,
  type Signal,
  type StoredSignal,
} from "./store.js";
import { DISPATCHES_TABLE, EXPIRED_LEASES_COLUMN, leaseLength, MIGRATE_V1, MIGRATE_V2, SCHEMA, SCHEMA_VERSION, STORE_APPLICATION_ID } from "./sqlite-schema.js";

export class StoreFileError extends Error {
  /**
   * True when retrying can succeed (the write lock was busy, the disk was full): the engine
   * retries and a command prints one line. False when it lasts (a damaged row, a corrupt
   * file, no permission): a command stops with exit code 4.
   */
  readonly transient: boolean;
  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.name = "StoreFileError";
    this.transient = options?.transient === true;
  }
}

/** A row that does not decode (truncated or altered JSON): names the execution and the row. */
export function decodeRow<T>(file: string, executionId: string, row: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new StoreFileError(
      `${file}: execution ${executionId}, ${row} is damaged (${(error as Error).message}); the engine will not run this execution from it. Restore the store from a backup, or start the execution again under a new id.`,
      { cause: error },
    );
  }
}

export interface ExecutionDbRow {
  id: string;
  function_name: string;
  status: ExecutionRow["status"];
  input: string;
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  next_wake_at: number | null;
  parent_execution_id: string | null;
  parent_operation_id: string | null;
  epoch: number;
  invocations: number;
  expired_leases: number;
}

/** An execution's row with the time of its latest history row (last_at). */
type ExecutionRowWithHistory = ExecutionDbRow & { last_at: number | null };
const EXECUTION_COLUMNS = "executions.*, (SELECT last_at FROM history_heads WHERE execution_id = executions.id) AS last_at";

const SQLITE_HEADER = "SQLite format 3\u0000";

function loadDriver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  } catch (error) {
    throw new StoreFileError(
      "SqliteStore needs the better-sqlite3 package (version 12 on Node 20), which is not installed or failed to build: run `npm install better-sqlite3@12`, or use MemoryStore.",
      { cause: error },
    );
  }
}

/** Refuses a path that is not an SQLite database file before the driver touches it. */
function checkHeader(path: string): void {
  if (!existsSync(path)) return;
  const stats = statSync(path);
  // A directory (e.g. `.replayable`, the folder of the default store) would otherwise fail in readSync with EISDIR.
  if (stats.isDirectory()) {
    throw new StoreFileError(
      `${path} is a directory, not a replayable store: give the database file itself, e.g. ${join(path, "db.sqlite")} (the default store is .replayable/db.sqlite).`,
    );
  }
  // A FIFO or device could block the read below or is not something SQLite can keep a journal beside.
  if (!stats.isFile()) throw new StoreFileError(`${path} is not a regular file, so it cannot be a replayable store: give the path of an SQLite database file (the default is .replayable/db.sqlite).`);
  if (stats.size === 0) return;
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read < 16 || header.toString("latin1") !== SQLITE_HEADER) {
      throw new StoreFileError(`${path} is not a replayable store: it is not an SQLite database (bad header). Point the engine at another file, or move this one away.`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A write waiting for the next group commit: `run` does it inside the transaction and returns
 * what to do once the transaction is durable; `fail` is told when the transaction failed.
 */
interface QueuedWrite {
  run: () => () => void;
  fail: (described: StoreFileError, cause: unknown) => void;
}

/**
 * The engine's store in one SQLite file (better-sqlite3, WAL, synchronous=FULL). Commits
 * that arrive while one is being prepared share one transaction (group commit): one fsync
 * serves every execution that checkpointed in the same turn of the event loop.
 */
export class SqliteStore implements EngineStore {
  private readonly db: BetterSqlite3.Database;
  private queue: QueuedWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly statements;
  /** The UPDATE of an execution's row, prepared once per set of columns a commit changes. */
  private readonly executionUpdates = new Map<string, BetterSqlite3.Statement>();

  private constructor(
    readonly path: string,
    db: BetterSqlite3.Database,
  ) {
    this.db = db;
    this.statements = {
      insertExecution: db.prepare(
        `INSERT INTO executions (id, function_name, status, input, created_at, updated_at, next_wake_at, parent_execution_id, parent_operation_id)
         VALUES (@id, @function_name, 'RUNNING', @input, @created_at, @created_at, @next_wake_at, @parent_execution_id, @parent_operation_id)
         ON CONFLICT(id) DO NOTHING`,
      ),
      getExecution: db.prepare<[string], ExecutionRowWithHistory>(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ?`),
      // What a commit checks and continues from: the claim's epoch and where the execution's history ends.
      commitState: db.prepare<[string], { epoch: number; invocations: number; expired_leases: number; key: number; last_number: number; last_sequence: number | null }>(
        `SELECT e.epoch, e.invocations, e.expired_leases, h.key, h.last_number, h.last_sequence
         FROM executions e JOIN history_heads h ON h.execution_id = e.id WHERE e.id = ?`,
      ),
      // An execution's rows numbered after @after, walked from its latest back (each names its predecessor).
      historyAfter: db.prepare<{ execution: string; after: number }, { number: number; id: string; at: number; invocation: number; record: string }>(
        `WITH RECURSIVE chain(previous, number, id, at, invocation, record) AS (
           SELECT h.previous, h.number, h.operation_id, h.at, h.invocation, h.record FROM history_heads hd JOIN history h ON h.sequence = hd.last_sequence
           WHERE hd.execution_id = @execution AND h.number > @after
           UNION ALL
           SELECT h.previous, h.number, h.operation_id, h.at, h.invocation, h.record FROM chain JOIN history h ON h.sequence = chain.previous WHERE h.number > @after)
         SELECT number, id, at, invocation, record FROM chain`,
      ),
      // The walk stops at the operation's latest row (found), however long the history.
      loadOperation: db.prepare<{ execution: string; operation: string }, { id: string; record: string }>(
        `WITH RECURSIVE chain(previous, operation_id, record, found) AS (
           SELECT h.previous, h.operation_id, h.record, h.operation_id = @operation FROM history_heads hd JOIN history h ON h.sequence = hd.last_sequence WHERE hd.execution_id = @execution
           UNION ALL
           SELECT h.previous, h.operation_id, h.record, h.operation_id = @operation FROM chain JOIN history h ON h.sequence = chain.previous WHERE NOT chain.found)
         SELECT operation_id AS id, record FROM chain WHERE found`,
      ),
      insertHistory: db.prepare<[number, number | null, number, string, number, number, string]>(
        "INSERT INTO history (execution_key, previous, number, operation_id, at, invocation, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      insertHead: db.prepare<[string]>("INSERT INTO history_heads (execution_id) VALUES (?)"),
      moveHead: db.prepare<[number, number, number, number]>("UPDATE history_heads SET last_number = ?, last_sequence = ?, last_at = ? WHERE key = ?"),
      upsertInvocation: db.prepare(
        `INSERT INTO invocations (execution_id, invocation, started_at, ended_at, request_id, outcome, warm)
         VALUES (@execution_id, @invocation, @started_at, @ended_at, @request_id, @outcome, @warm)
         ON CONFLICT(execution_id, invocation) DO UPDATE SET
           ended_at = coalesce(excluded.ended_at, ended_at), request_id = coalesce(excluded.request_id, request_id),
           outcome = coalesce(excluded.outcome, outcome), warm = coalesce(excluded.warm, warm)`,
      ),
      loadInvocations: db.prepare<[string], { invocation: number; started_at: number; ended_at: number | null; request_id: string | null; outcome: string | null; warm: number | null }>(
        "SELECT * FROM invocations WHERE execution_id = ? ORDER BY invocation",
      ),
      insertCallback: db.prepare("INSERT OR IGNORE INTO callbacks (callback_id, execution_id, operation_id) VALUES (?, ?, ?)"),
      findCallback: db.prepare<[string], { execution_id: string; operation_id: string }>("SELECT execution_id, operation_id FROM callbacks WHERE callback_id = ?"),
      dueIds: db.prepare<[number, number, string | null, string | null, number], { id: string }>(
        `SELECT id FROM executions WHERE status = 'RUNNING' AND next_wake_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
           AND (? IS NULL OR function_name IN (SELECT value FROM json_each(?)))
         ORDER BY next_wake_at LIMIT ?`,
      ),
      // A claim of a lease that expired unreleased counts one more expired lease (see leaseLength).
      grant: db.prepare<[string, string]>(
        "UPDATE executions SET epoch = epoch + 1, lease_owner = ?, expired_leases = CASE WHEN lease_owner IS NULL THEN expired_leases ELSE expired_leases + 1 END WHERE id = ?",
      ),
      setLeaseEnd: db.prepare<[number, string]>("UPDATE executions SET lease_expires_at = ? WHERE id = ?"),
      claimable: db.prepare<[string, number, string | null], { id: string }>(
        "SELECT id FROM executions WHERE id = ? AND status = 'RUNNING' AND (lease_expires_at IS NULL OR lease_expires_at <= ? OR lease_owner = ?)",
      ),
      heldDue: db.prepare<[number, number], { id: string; lease_owner: string; function_name: string }>(
        "SELECT id, lease_owner, function_name FROM executions WHERE status = 'RUNNING' AND next_wake_at <= ? AND lease_expires_at > ?",
      ),
      renew: db.prepare<[number, string, number]>("UPDATE executions SET lease_expires_at = ? WHERE id = ? AND epoch = ? AND lease_owner IS NOT NULL"),
      // A leased execution is not due before its lease ends (its holder wakes its own worker).
      nextWakeAt: db.prepare<[], { at: number | null }>(
        "SELECT min(max(next_wake_at, coalesce(lease_expires_at, 0))) AS at FROM executions WHERE status = 'RUNNING' AND next_wake_at IS NOT NULL",
      ),
      insertSignal: db.prepare("INSERT INTO signals (execution_id, operation_id, outcome, at) VALUES (?, ?, ?, ?)"),
      wakeForSignal: db.prepare<[number, number, string]>(
        "UPDATE executions SET next_wake_at = min(coalesce(next_wake_at, ?), ?) WHERE id = ? AND status = 'RUNNING'",
      ),
      pendingSignals: db.prepare<[string], { sequence: number; execution_id: string; operation_id: string; outcome: string; at: number }>(
        "SELECT * FROM signals WHERE execution_id = ? ORDER BY sequence",
      ),
      deleteSignal: db.prepare("DELETE FROM signals WHERE sequence = ?"),
      claimDispatch: db.prepare<[string, string, string, number, number, string | null]>(
        `INSERT INTO dispatches (execution_id, operation_id, owner, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (execution_id, operation_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE expires_at <= ? OR owner = excluded.owner OR owner = ?`,
      ),
      deleteDispatches: db.prepare<[string]>("DELETE FROM dispatches WHERE execution_id = ?"),
      dispatchHolder: db.prepare<[string, string], { owner: string; expires_at: number }>("SELECT owner, expires_at FROM dispatches WHERE execution_id = ? AND operation_id = ?"),
      earliestSignal: db.prepare<[string], { at: number | null }>("SELECT min(at) AS at FROM signals WHERE execution_id = ?"),
    };
  }

  /**
   * Opens (creating if needed) a store file. Refuses files it cannot safely use, with the reason.
   * `busyTimeoutMs` (default 10 s): how long a call waits for another process's write lock
   * before failing as a transient "locked" error. The wait blocks this process's event loop
   * (better-sqlite3 is synchronous): a process that must keep its timers running (a harness,
   * a UI) gives a short one and retries.
   */
  static open(path: string, options: { busyTimeoutMs?: number } = {}): SqliteStore {
    const file = resolve(path);
    try {
      checkHeader(file);
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      // A file system error here (EACCES, ENOTDIR when a parent is a file) is the path's fault, not a bug.
      throw error instanceof StoreFileError ? error : describeFileError(file, error);
    }
    const Driver = loadDriver();
    let db: BetterSqlite3.Database | undefined;
    try {
      db = new Driver(file, { timeout: options.busyTimeoutMs ?? 10_000 });
      // Reads only, before anything writes: a file this engine must not use is refused
      // unchanged (journal_mode = WAL alone rewrites header bytes 18-19).
      checkSchema(db, file);
      // Every connection: a committed transaction must survive power loss, and concurrent
      // engine processes wait for the write lock instead of failing.
      switchToWal(db);
      db.pragma("synchronous = FULL");
      // SQLite's default checkpoint every 1,000 WAL pages, said explicitly: after a checkpoint
      // the next commits overwrite the WAL from its start, and an fsync that only overwrites
      // costs about half of one that extends the file (which commits the file system's own
      // journal too). A 4,000-page WAL spent the first 16 MiB of every store's life extending
      // it: a step cost 2.0-2.5x the bare transaction against 1.9-2.0x with 1,000 (bench:engine,
      // README). The price: 4 times as many checkpoints once the WAL is reused.
      db.pragma("wal_autocheckpoint = 1000");
      db.pragma("foreign_keys = ON");
      prepareSchema(db, file);
      return new SqliteStore(file, db);
    } catch (error) {
      db?.close();
      throw describeSqliteError(file, error);
    }
  }

  /** The settings this connection runs with (asserted by tests). */
  connectionSettings(): { journalMode: string; synchronous: number } {
    return { journalMode: String(this.db.pragma("journal_mode", { simple: true })), synchronous: Number(this.db.pragma("synchronous", { simple: true })) };
  }

  /**
   * A number that changes when another connection (another process) commits to the file
   * (SQLite's data_version): a reader such as the console polls it to notice new work
   * without re-reading any table.
   */
  dataVersion(): number {
    return this.guard(() => Number(this.db.pragma("data_version", { simple: true })));
  }

  /** In the group commit: executions started in the same turn (50 at once) cost one transaction. */
  createExecution(row: Omit<ExecutionRow, "epoch" | "invocations" | "status" | "updatedAt">): Promise<{ created: boolean; execution: ExecutionRow }> {
    return this.enqueue((resolve, reject) => ({
      run: () => {
        const created = this.insertExecution(row);
        return () => resolve(created);
      },
      fail: (described) => reject(described),
    }));
  }

  private insertExecution(row: Omit<ExecutionRow, "epoch" | "invocations" | "status" | "updatedAt">): { created: boolean; execution: ExecutionRow } {
    const info = this.statements.insertExecution.run({
      id: row.executionId,
      function_name: row.functionName,
      input: row.input,
      created_at: row.createdAt,
      next_wake_at: row.nextWakeAt ?? null,
      parent_execution_id: row.parent?.executionId ?? null,
      parent_operation_id: row.parent?.operationId ?? null,
    });
    if (info.changes === 1) this.statements.insertHead.run(row.executionId);
    return { created: info.changes === 1, execution: this.toRow(this.statements.getExecution.get(row.executionId)!) };
  }

  async getExecution(executionId: string): Promise<ExecutionRow | undefined> {
    return this.guard(() => {
      const row = this.statements.getExecution.get(executionId);
      return row && this.toRow(row);
    });
  }

  async listExecutions(filter: ExecutionFilter = {}): Promise<ExecutionRow[]> {
    return this.guard(() => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status !== undefined) (where.push("status = ?"), params.push(filter.status));
      if (filter.functionName !== undefined) (where.push("function_name = ?"), params.push(filter.functionName));
      if (filter.createdFrom !== undefined) (where.push("created_at >= ?"), params.push(filter.createdFrom));
      if (filter.createdBefore !== undefined) (where.push("created_at < ?"), params.push(filter.createdBefore));
      if (filter.text !== undefined) (where.push("(instr(lower(id), ?) > 0 OR instr(lower(function_name), ?) > 0)"), params.push(filter.text.toLowerCase(), filter.text.toLowerCase()));
      if (filter.after !== undefined) (where.push("(created_at < ? OR (created_at = ? AND id > ?))"), params.push(filter.after.createdAt, filter.after.createdAt, filter.after.executionId));
      const sql = `SELECT ${EXECUTION_COLUMNS} FROM executions ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id LIMIT ?`;
      params.push(filter.limit ?? -1);
      return (this.db.prepare(sql).all(...params) as ExecutionRowWithHistory[]).map((row) => this.toRow(row));
    });
  }

  /** Each operation's last row of the history, in first-write order (a Map keeps the order of first insertion). */
  async loadOperations(executionId: string): Promise<OperationRecord[]> {
    return this.guard(() => {
      const latest = new Map<string, { id: string; record: string }>();
      for (const row of byNumber(this.statements.historyAfter.all({ execution: executionId, after: 0 }))) latest.set(row.id, row);
      return [...latest.values()].map((r) => this.decodeOperation(executionId, r));
    });
  }

  async loadOperation(executionId: string, operationId: string): Promise<OperationRecord | undefined> {
    return this.guard(() => {
      const row = this.statements.loadOperation.get({ execution: executionId, operation: operationId });
      return row && this.decodeOperation(executionId, row);
    });
  }

  async loadUpdates(executionId: string, afterSequence = 0): Promise<Array<{ sequence: number; at: number; invocation: number; record: OperationRecord }>> {
    return this.guard(() => {
      return byNumber(this.statements.historyAfter.all({ execution: executionId, after: afterSequence })).map((u) => ({
        sequence: u.number,
        at: u.at,
        invocation: u.invocation,
        record: decodeRow(this.path, executionId, `history update ${u.number} (table history)`, () => decodeRecord(u.record)),
      }));
    });
  }

  async loadInvocations(executionId: string): Promise<InvocationRow[]> {
    return this.guard(() =>
      this.statements.loadInvocations.all(executionId).map((r) => ({
        invocation: r.invocation,
        startedAt: r.started_at,
        endedAt: r.ended_at ?? undefined,
        requestId: r.request_id ?? undefined,
        outcome: (r.outcome ?? undefined) as InvocationRow["outcome"],
        warm: r.warm === null ? undefined : r.warm === 1,
      })),
    );
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number, functionNames?: readonly string[]): Promise<Lease[]> {
    const names = functionNames ? JSON.stringify(functionNames) : null;
    return this.guard(() => {
      // IMMEDIATE: take the write lock before reading, so two processes never claim the same row.
      return this.db
        .transaction(() => {
          const ids = this.statements.dueIds.all(now, now, names, names, limit).map((r) => r.id);
          return ids.map((id) => this.grant(id, owner, now, leaseMs));
        })
        .immediate();
    });
  }

  async claim(executionId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<Lease | undefined> {
    return this.guard(() => {
      return this.db
        .transaction(() => {
          if (!this.statements.claimable.get(executionId, now, takeOverFrom ?? null)) return undefined;
          return this.grant(executionId, owner, now, leaseMs);
        })
        .immediate();
    });
  }

  /** Inside a write transaction: claims one execution, its lease as long as leaseLength says. */
  private grant(executionId: string, owner: string, now: number, leaseMs: number): Lease {
    this.statements.grant.run(owner, executionId);
    const { epoch, expired_leases } = this.statements.getExecution.get(executionId)!;
    const expiresAt = now + leaseLength(leaseMs, expired_leases);
    this.statements.setLeaseEnd.run(expiresAt, executionId);
    return { executionId, owner, epoch, expiresAt };
  }

  async heldDue(now: number): Promise<Array<{ executionId: string; owner: string; functionName: string }>> {
    return this.guard(() => this.statements.heldDue.all(now, now).map((r) => ({ executionId: r.id, owner: r.lease_owner, functionName: r.function_name })));
  }

  async renew(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    return this.guard(() => {
      const renewed = this.statements.renew.run(now + leaseMs, lease.executionId, lease.epoch).changes === 1;
      if (renewed) lease.expiresAt = now + leaseMs;
      return renewed;
    });
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.enqueue((resolve, reject) => ({
      run: () => (this.apply(batch) ? resolve : () => reject(new LeaseLostError(batch.executionId, batch.epoch))),
      fail: (described, cause) =>
        reject(
          new StoreFileError(`Checkpoint not committed: ${described.message} Nothing of this batch was written; what was committed before is intact.`, {
            cause,
            transient: described.transient,
          }),
        ),
    }));
  }

  /** Queues a write for the group commit at the event loop's next turn. */
  private enqueue<T>(write: (resolve: (value: T) => void, reject: (error: unknown) => void) => QueuedWrite): Promise<T> {
    if (this.closed) return Promise.reject(new StoreFileError(`The store ${this.path} is closed`));
    return new Promise((resolve, reject) => {
      this.queue.push(write(resolve, reject));
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async nextWakeAt(): Promise<number | undefined> {
    return this.guard(() => {
      return this.statements.nextWakeAt.get()?.at ?? undefined;
    });
  }

  async addSignal(signal: Signal): Promise<void> {
    return this.guard(() => {
      this.db.transaction(() => this.insertSignal(signal)).immediate();
    });
  }

  async addCallbackSignal(target: CallbackTarget, outcome: CallbackOutcome, clock: () => number): Promise<CallbackSignalAnswer> {
    return this.guard(() =>
      this.db
        .transaction((): CallbackSignalAnswer => {
          const at = clock();
          const status = this.statements.getExecution.get(target.executionId)?.status;
          const row = this.statements.loadOperation.get({ execution: target.executionId, operation: target.operationId });
          const reason = callbackRefusal(status, row && this.decodeOperation(target.executionId, row), this.readPendingSignals(target.executionId), outcome, at);
          if (reason !== undefined) return { accepted: false, reason };
          this.insertSignal({ ...target, outcome, at });
          return { accepted: true, at };
        })
        .immediate(),
    );
  }

  /**
   * Under the write lock: a callback sender reads its clock under the same lock, so a
   * worker that read its clock before this sees every completion committed before that time.
   */
  async pendingSignals(executionId: string): Promise<StoredSignal[]> {
    return this.guard(() => this.db.transaction(() => this.readPendingSignals(executionId)).immediate());
  }

  /** A step's commit leaves the executions row alone: its history row's time is the execution's latest update. */
  private toRow(row: ExecutionRowWithHistory): ExecutionRow {
    return toExecutionRow(this.path, { ...row, updated_at: Math.max(row.updated_at, row.last_at ?? 0) });
  }

  private decodeOperation(executionId: string, row: { id?: string; record: string }): OperationRecord {
    return decodeRow(this.path, executionId, `the latest state of operation ${row.id ?? "?"} (table history)`, () => decodeRecord(row.record));
  }

  private readPendingSignals(executionId: string): StoredSignal[] {
    return this.statements.pendingSignals.all(executionId).map((s) => ({
      sequence: s.sequence,
      executionId: s.execution_id,
      operationId: s.operation_id,
      outcome: decodeRow(this.path, executionId, `signal ${s.sequence} for operation ${s.operation_id} (table signals)`, () => JSON.parse(s.outcome) as Signal["outcome"]),
      at: s.at,
    }));
  }

  async claimDispatch(executionId: string, operationId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<DispatchClaim> {
    return this.guard(() =>
      this.db
        .transaction((): DispatchClaim => {
          if (this.statements.getExecution.get(executionId)?.status !== "RUNNING") return endedDispatch(now);
          this.statements.claimDispatch.run(executionId, operationId, owner, now + leaseMs, now, takeOverFrom ?? null);
          const holder = this.statements.dispatchHolder.get(executionId, operationId)!;
          return holder.owner === owner ? { claimed: true, expiresAt: holder.expires_at } : { claimed: false, owner: holder.owner, expiresAt: holder.expires_at };
        })
        .immediate(),
    );
  }

  async findCallback(callbackId: string): Promise<{ executionId: string; operationId: string } | undefined> {
    return this.guard(() => {
      const row = this.statements.findCallback.get(callbackId);
      return row && { executionId: row.execution_id, operationId: row.operation_id };
    });
  }

  /**
   * A consistent copy of the store in a new file, with SQLite's online backup API: what is
   * committed, including what still sits in the WAL (copying the main file alone loses it),
   * while other processes go on writing.
   */
  async backup(destination: string): Promise<void> {
    this.checkOpen();
    try {
      await this.db.backup(destination);
    } catch (error) {
      throw describeSqliteError(destination, error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length) this.flush();
    this.closed = true;
    this.db.close();
  }

  /** Writes everything queued in one transaction; a batch with a stale epoch is refused alone. */
  private flush(): void {
    this.flushScheduled = false;
    const pending = this.queue;
    this.queue = [];
    if (pending.length === 0) return;
    const settle: Array<() => void> = [];
    try {
      this.db.transaction(() => pending.forEach((write) => settle.push(write.run()))).immediate();
    } catch (error) {
      const described = describeSqliteError(this.path, error);
      for (const write of pending) write.fail(described, error);
      return;
    }
    for (const done of settle) done();
  }

  /** Applies one batch inside the open transaction; false when its epoch is stale. */
  private apply(batch: CommitBatch): boolean {
    const current = this.statements.commitState.get(batch.executionId);
    if (!current || current.epoch !== batch.epoch) return false;
    const now = batch.at;
    let number = current.last_number;
    let previous = current.last_sequence;
    // States set when an invocation opens belong to it.
    const invocation = batch.execution?.invocations ?? current.invocations;
    for (const record of batch.operations) {
      previous = Number(this.statements.insertHistory.run(current.key, previous, ++number, record.Id, now, invocation, encodeRecord(record)).lastInsertRowid);
      for (const callbackId of callbackIdsOf(record)) this.statements.insertCallback.run(callbackId, batch.executionId, record.Id);
    }
    if (batch.operations.length > 0) this.statements.moveHead.run(number, previous!, now, current.key);
    if (batch.invocation) {
      const i = batch.invocation;
      this.statements.upsertInvocation.run({
        execution_id: batch.executionId,
        invocation: i.invocation,
        started_at: i.startedAt,
        ended_at: i.endedAt ?? null,
        request_id: i.requestId ?? null,
        outcome: i.outcome ?? null,
        warm: i.warm === undefined ? null : Number(i.warm),
      });
    }
    // The executions row only when something in it changes: a step's commit (the common one)
    // appends to the history and writes no other page (updated_at: see toRow).
    const changes: Record<string, unknown> = {};
    const e = batch.execution;
    if (e) {
      if ("status" in e) changes.status = e.status;
      if ("result" in e) changes.result = e.result ?? null;
      if ("error" in e) changes.error = e.error === undefined ? null : JSON.stringify(e.error);
      if ("endedAt" in e) changes.ended_at = e.endedAt ?? null;
      if ("nextWakeAt" in e) changes.next_wake_at = e.nextWakeAt ?? null;
      if ("invocations" in e) changes.invocations = e.invocations;
    }
    if (batch.release) Object.assign(changes, { lease_owner: null, lease_expires_at: null });
    if (current.expired_leases !== 0 && endsExpiredLeases(batch)) changes.expired_leases = 0;
    if (endsExecution(batch)) this.statements.deleteDispatches.run(batch.executionId);
    if (Object.keys(changes).length > 0 || batch.operations.length === 0) {
      changes.updated_at = now;
      const columns = Object.keys(changes).join(",");
      let update = this.executionUpdates.get(columns);
      if (!update) {
        update = this.db.prepare(`UPDATE executions SET ${Object.keys(changes).map((c) => `${c} = @${c}`).join(", ")} WHERE id = @id`);
        this.executionUpdates.set(columns, update);
      }
      update.run({ ...changes, id: batch.executionId });
    }
    for (const sequenceNumber of batch.appliedSignals ?? []) this.statements.deleteSignal.run(sequenceNumber);
    // A signal that arrived while the worker ran is not lost by the wake-up time it commits
    // (a commit that leaves next_wake_at alone keeps the one the signal set).
    const earliestSignal = batch.backOff || !("next_wake_at" in changes) ? undefined : this.statements.earliestSignal.get(batch.executionId)?.at;
    if (earliestSignal != null) this.statements.wakeForSignal.run(earliestSignal, earliestSignal, batch.executionId);
    for (const signal of batch.signals ?? []) this.insertSignal(signal);
    return true;
  }

  private insertSignal(signal: Signal): void {
    this.statements.insertSignal.run(signal.executionId, signal.operationId, JSON.stringify(signal.outcome), signal.at);
    this.statements.wakeForSignal.run(signal.at, signal.at, signal.executionId);
  }

  /** Runs a read or write; SQLite's own failures come out as errors that name the file and the fix. */
  private guard<T>(work: () => T): T {
    if (this.closed) throw new StoreFileError(`The store ${this.path} is closed`);
    try {
      return work();
    } catch (error) {
      throw describeSqliteError(this.path, error);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreFileError(`The store ${this.path} is closed`);
  }
}

/** A file system error met before the driver opens the file, naming the file and what to check. */
function describeFileError(file: string, error: unknown): StoreFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return new StoreFileError(`The store ${file} failed: ${(error as Error).message}`, { cause: error });
  return new StoreFileError(`Cannot use the store ${file} (${(error as Error).message}); check the path and its permissions.`, { cause: error });
}

/** History rows in the execution's order (a chain is walked from its latest row back). */
function byNumber<T extends { number: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => a.number - b.number);
}

/** Turns a driver error into one that names the file, the cause and what to do. */
export function describeSqliteError(file: string, error: unknown): StoreFileError {
  if (error instanceof StoreFileError) return error;
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error).message;
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new StoreFileError(`${file} is corrupt (${code}: ${message}); the engine will not write to it. Restore it from a backup or start with a new file.`, { cause: error });
  }
  if (code.startsWith("SQLITE_FULL")) return new StoreFileError(`The disk holding ${file} is full (${code}). Free space; nothing was lost.`, { cause: error, transient: true });
  if (code.startsWith("SQLITE_BUSY")) return new StoreFileError(`${file} is locked by another process for too long (${code}); retry.`, { cause: error, transient: true });
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_IOERR")) {
    return new StoreFileError(`Cannot use the store ${file} (${code}: ${message}); check the path and its permissions.`, { cause: error });
  }
  return new StoreFileError(`The store ${file} failed: ${message}`, { cause: error });
}

/**
 * journal_mode = WAL on a new file fails with SQLITE_BUSY, without waiting, while another
 * process switches it too: retried for as long as the connection's busy timeout.
 */
function switchToWal(db: BetterSqlite3.Database): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (!String((error as { code?: string }).code).startsWith("SQLITE_BUSY") || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

interface SchemaState {
  empty: boolean;
  /** Schema 1 or 2 (migrated to 3 when opened), or 3. */
  version: number;
  /** The dispatches table and the expired_leases column, added to schema 1 later (see sqlite-schema.ts). */
  hasDispatches: boolean;
  hasExpiredLeases: boolean;
}

/** Whether the file is new (empty) or a store of this schema; refuses anything else, writing nothing. */
function checkSchema(db: BetterSqlite3.Database, file: string): SchemaState {
  // One read transaction: another process may create the schema between separate reads.
  const [applicationId, version, tables, dispatches, expiredLeases] = db.transaction((): [number, number, number, number, number] => [
    Number(db.pragma("application_id", { simple: true })),
    Number(db.pragma("user_version", { simple: true })),
    Number((db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n),
    Number((db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'dispatches'").get() as { n: number }).n),
    Number((db.prepare("SELECT count(*) AS n FROM pragma_table_info('executions') WHERE name = 'expired_leases'").get() as { n: number }).n),
  ])();
  if (applicationId === 0 && version === 0 && tables === 0) return { empty: true, version, hasDispatches: false, hasExpiredLeases: false };
  if (applicationId !== STORE_APPLICATION_ID) {
    throw new StoreFileError(`${file} is an SQLite database made by another program, not a replayable store; the engine did not and will not write to it. Use another path (the default is .replayable/db.sqlite).`);
  }
  if (version > SCHEMA_VERSION) {
    throw new StoreFileError(`${file} was written by a newer replayable (store schema ${version}; this version reads up to ${SCHEMA_VERSION}). Upgrade replayable to open it; the file was not changed.`);
  }
  if (version < 1) {
    throw new StoreFileError(`${file} has store schema ${version}, which this version of replayable cannot migrate (it needs ${SCHEMA_VERSION}). Finish its executions with the replayable that made it, or start a new file.`);
  }
  return { empty: false, version, hasDispatches: dispatches === 1, hasExpiredLeases: expiredLeases === 1 };
}

/**
 * Creates the schema in a new file, or migrates a schema-1 file to 2. The check is repeated
 * inside the write transaction: of several processes opening one store at once, one creates
 * (or migrates) it and the others find it done.
 */
function prepareSchema(db: BetterSqlite3.Database, file: string): void {
  const before = checkSchema(db, file);
  if (before.version === SCHEMA_VERSION && before.hasDispatches && before.hasExpiredLeases) return;
  db.transaction(() => {
    const state = checkSchema(db, file);
    if (state.empty) {
      db.exec(SCHEMA);
      db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
    } else {
      if (!state.hasDispatches) db.exec(DISPATCHES_TABLE);
      if (!state.hasExpiredLeases) db.exec(EXPIRED_LEASES_COLUMN);
      if (state.version === 1) db.exec(MIGRATE_V1);
      if (state.version <= 2) db.exec(MIGRATE_V2);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function toExecutionRow(file: string, row: ExecutionDbRow): ExecutionRow {
  return {
    executionId: row.id,
    functionName: row.function_name,
    status: row.status,
    input: row.input,
    result: row.result ?? undefined,
    error: row.error === null ? undefined : decodeRow(file, row.id, "its error (table executions)", () => JSON.parse(row.error!) as ExecutionRow["error"]),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at ?? undefined,
    nextWakeAt: row.next_wake_at ?? undefined,
    parent: row.parent_execution_id !== null ? { executionId: row.parent_execution_id, operationId: row.parent_operation_id ?? "" } : undefined,
    epoch: row.epoch,
    invocations: row.invocations,
    expiredLeases: row.expired_leases,
  };
}
