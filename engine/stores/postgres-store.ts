import { createRequire } from "node:module";
import type Pg from "pg";
import type { OperationRecord } from "../../runtime/operation-model.js";
import { decodeRecord, encodeRecord } from "../record-codec.js";
import { decodeRow, StoreFileError, toExecutionRow, type ExecutionDbRow } from "../sqlite-store.js";
import { callbackIdsOf, callbackRefusal, endedDispatch, endsExpiredLeases, type ExecutionFilter } from "../store-rules.js";
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
} from "../store.js";
import { MIGRATIONS, PG_SCHEMA_VERSION, WAKE_CHANNEL } from "./postgres-schema.js";

export interface PostgresStoreOptions {
  /** The PostgreSQL schema the store's tables live in (default "replayable", or the URL's ?schema=). */
  schema?: string | undefined;
  /** Connections in the pool (default 8); the commit connection and the LISTEN connection are two more. */
  poolSize?: number | undefined;
}

/** Errors of a transaction that lost a race (deadlock, serialization): retrying it whole is safe. */
const RETRYABLE = new Set(["40P01", "40001"]);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/**
 * From how many batches a group commit goes through commit_group: server CPU per one-batch
 * commit 150-185 us against commit_steps's 95-130 us; per batch of 25-batch groups ~35% less statement time.
 */
const GROUP_MIN_BATCHES = 4;
type SignalDbRow = { sequence: number; execution_id: string; operation_id: string; outcome: string; at: number };
/** bigint columns hold milliseconds, well inside a double's exact range. */
const INT8_OID = 20;

function loadDriver(): typeof Pg {
  try {
    return createRequire(import.meta.url)("pg") as typeof Pg;
  } catch (error) {
    throw new StoreFileError("PostgresStore needs the pg package (node-postgres), which is not installed: run `npm install pg@8`, or use a SQLite store (a file path).", { cause: error });
  }
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * The engine's store in PostgreSQL, for workers on several hosts sharing one database.
 * Claims lock with FOR UPDATE SKIP LOCKED; a commit checks the batch's fencing epoch under
 * the execution's row lock in the transaction that writes it; commits that arrive while one
 * is in flight go together in the next transaction (group commit: one WAL flush for many
 * executions), each acknowledged only once PostgreSQL has committed it (synchronous_commit
 * on). Work for other workers is announced with NOTIFY; workers poll as well, so a lost
 * notification only delays work.
 */
export class PostgresStore implements EngineStore {
  private queue: Array<{ batch: CommitBatch; resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly wakeListeners = new Set<() => void>();
  private listener: Pg.Client | undefined;
  private relisten: NodeJS.Timeout | undefined;
  private changes = 0;
  private changesPoll: NodeJS.Timeout | undefined;
  /** The connection commits go through, outside the pool, whose checkout and release (an idle timer per query) cost every commit tens of µs. */
  private committer: Pg.Client | undefined;
  /** How many batches the last transaction wrote. */
  private lastGroupSize = 0;

  private constructor(
    /** The URL with its password hidden. */
    readonly location: string,
    private readonly pool: Pg.Pool,
    /** For the connections outside the pool (commits, LISTEN). */
    private readonly clientConfig: Pg.ClientConfig,
    private readonly driver: typeof Pg,
  ) {}

  /**
   * Connects to a database (postgres://user:password@host:port/db[?schema=name]), creating
   * the store's schema and tables on first use, migrating an older one; refuses a schema
   * made by a newer replayable or by another program, changing nothing.
   */
  static async connect(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const location = redactUrl(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new StoreFileError(`${location} is not a valid URL: give postgres://user:password@host:port/database (percent-encode special characters in the password).`, { cause: error });
    }
    const schema = options.schema ?? parsed.searchParams.get("schema") ?? "replayable";
    parsed.searchParams.delete("schema");
    if (!SCHEMA_NAME.test(schema)) throw new StoreFileError(`${location}: the schema name "${schema}" must be lower-case letters, digits and _ (starting with a letter or _).`);
    const driver = loadDriver();
    const config: Pg.ClientConfig = {
      connectionString: parsed.toString(),
      // Every acknowledged checkpoint is durable, whatever the server's default.
      options: `-c search_path=${schema} -c synchronous_commit=on`,
      types: { getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? Number : driver.types.getTypeParser(oid, format as "text")) } as Pg.CustomTypesConfig,
    };
    const pool = new driver.Pool({ ...config, max: options.poolSize ?? 8 });
    // An idle connection the server dropped: the pool replaces it on the next query.
    pool.on("error", () => undefined);
    const store = new PostgresStore(location, pool, config, driver);
    try {
      await store.prepareSchema(schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw describePgError(location, error);
    }
    return store;
  }

  /** Creates or migrates the schema under an advisory lock: of several processes starting at once, one does it. */
  private async prepareSchema(schema: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`replayable schema ${schema}`]);
      const tables = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1", [schema]);
      const names = new Set(tables.rows.map((r) => r.name));
      let version = 0;
      if (names.has("store_version")) {
        version = (await client.query<{ version: number }>("SELECT version FROM store_version")).rows[0]?.version ?? 0;
      } else if (names.size > 0) {
        throw new StoreFileError(`${this.location}: the schema "${schema}" holds tables of another program, not a replayable store; nothing was changed. Give the store its own schema with ?schema=<name> in the URL.`);
      }
      if (version > PG_SCHEMA_VERSION) {
        throw new StoreFileError(`${this.location}: the store in schema "${schema}" was written by a newer replayable (store schema ${version}; this version reads up to ${PG_SCHEMA_VERSION}). Upgrade replayable to use it; nothing was changed.`);
      }
      if (version === PG_SCHEMA_VERSION) return;
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      for (let v = version; v < PG_SCHEMA_VERSION; v++) {
        await client.query(MIGRATIONS[v]!);
        await client.query("UPDATE store_version SET version = $1", [v + 1]);
      }
    });
  }

  /**
   * Moves whenever anything is written to the store, by any process (a counter the writes
   * advance): the console polls it to notice new work. Read from the database every 200 ms
   * once first asked for, so this call itself never waits.
   */
  dataVersion(): number {
    this.checkOpen();
    if (!this.changesPoll) {
      const read = () =>
        this.pool.query<{ n: number }>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM changes").then(
          (r) => void (this.changes = Math.max(this.changes, r.rows[0]!.n)), // a late answer never moves it back
          () => undefined,
        );
      void read();
      this.changesPoll = setInterval(read, 200).unref();
    }
    return this.changes;
  }

  /** Calls `listener` when another process makes work (a new execution, a signal, a released lease); returns the unsubscribe. */
  subscribeWakeUps(listener: () => void): () => void {
    this.wakeListeners.add(listener);
    if (!this.listener) void this.listen();
    return () => this.wakeListeners.delete(listener);
  }

  private async listen(): Promise<void> {
    if (this.closed || this.wakeListeners.size === 0) return;
    const client = new this.driver.Client(this.clientConfig);
    this.listener = client;
    const retry = () => {
      // The connection dropped: polling goes on meanwhile; listen again in a second.
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (!this.closed) this.relisten = setTimeout(() => void this.listen(), 1000).unref();
    };
    client.on("error", retry);
    client.on("end", retry);
    client.on("notification", () => {
      for (const wake of this.wakeListeners) wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
    } catch {
      retry();
    }
  }

  async createExecution(row: Omit<ExecutionRow, "epoch" | "invocations" | "status" | "updatedAt">): Promise<{ created: boolean; execution: ExecutionRow }> {
    const inserted = await this.query<ExecutionDbRow>(
      `WITH ins AS (
         INSERT INTO executions (id, function_name, status, input, created_at, updated_at, next_wake_at, parent_execution_id, parent_operation_id)
         VALUES ($1, $2, 'RUNNING', $3, $4, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING *)
       SELECT ins.*, nextval('changes'), pg_notify('${WAKE_CHANNEL}', '') FROM ins`,
      [row.executionId, row.functionName, row.input, row.createdAt, row.nextWakeAt ?? null, row.parent?.executionId ?? null, row.parent?.operationId ?? null],
    );
    if (inserted[0]) return { created: true, execution: toExecutionRow(this.location, inserted[0]) };
    return { created: false, execution: (await this.getExecution(row.executionId))! };
  }

  async getExecution(executionId: string): Promise<ExecutionRow | undefined> {
    const [row] = await this.query<ExecutionDbRow>("SELECT * FROM executions WHERE id = $1", [executionId]);
    return row && toExecutionRow(this.location, row);
  }

  async listExecutions(filter: ExecutionFilter = {}): Promise<ExecutionRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.functionName !== undefined) where.push(`function_name = ${param(filter.functionName)}`);
    if (filter.createdFrom !== undefined) where.push(`created_at >= ${param(filter.createdFrom)}`);
    if (filter.createdBefore !== undefined) where.push(`created_at < ${param(filter.createdBefore)}`);
    if (filter.text !== undefined) {
      const text = param(filter.text.toLowerCase());
      where.push(`(strpos(lower(id), ${text}) > 0 OR strpos(lower(function_name), ${text}) > 0)`);
    }
    if (filter.after !== undefined) {
      const at = param(filter.after.createdAt);
      where.push(`(created_at < ${at} OR (created_at = ${at} AND id > ${param(filter.after.executionId)}))`);
    }
    const sql = `SELECT * FROM executions ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id LIMIT ${param(filter.limit ?? null)}`;
    return (await this.query<ExecutionDbRow>(sql, params)).map((row) => toExecutionRow(this.location, row));
  }

  async loadOperations(executionId: string): Promise<OperationRecord[]> {
    const rows = await this.query<{ id: string; record: string }>("SELECT id, record FROM operations WHERE execution_id = $1 ORDER BY first_sequence", [executionId]);
    return rows.map((r) => this.decodeOperation(executionId, r));
  }

  async loadOperation(executionId: string, operationId: string): Promise<OperationRecord | undefined> {
    const [row] = await this.query<{ id: string; record: string }>("SELECT id, record FROM operations WHERE execution_id = $1 AND id = $2", [executionId, operationId]);
    return row && this.decodeOperation(executionId, row);
  }

  async loadUpdates(executionId: string, afterSequence = 0): Promise<Array<{ sequence: number; at: number; invocation: number; record: OperationRecord }>> {
    const rows = await this.query<{ sequence: number; at: number; invocation: number; record: string }>(
      "SELECT sequence, at, invocation, record FROM updates WHERE execution_id = $1 AND sequence > $2 ORDER BY sequence",
      [executionId, afterSequence],
    );
    return rows.map((u) => ({ ...u, record: decodeRow(this.location, executionId, `history update ${u.sequence} (table updates)`, () => decodeRecord(u.record)) }));
  }

  async loadInvocations(executionId: string): Promise<InvocationRow[]> {
    const rows = await this.query<{ invocation: number; started_at: number; ended_at: number | null; request_id: string | null; outcome: string | null; warm: boolean | null }>(
      "SELECT * FROM invocations WHERE execution_id = $1 ORDER BY invocation",
      [executionId],
    );
    return rows.map((r) => ({
      invocation: r.invocation,
      startedAt: r.started_at,
      endedAt: r.ended_at ?? undefined,
      requestId: r.request_id ?? undefined,
      outcome: (r.outcome ?? undefined) as InvocationRow["outcome"],
      warm: r.warm ?? undefined,
    }));
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number, functionNames?: readonly string[]): Promise<Lease[]> {
    // SKIP LOCKED: workers claiming at once each take different rows instead of queueing on the same ones.
    const rows = await this.query<{ id: string; epoch: number; lease_expires_at: number; next_wake_at: number }>(
      `WITH due AS (
         SELECT id FROM executions
         WHERE status = 'RUNNING' AND next_wake_at <= $1 AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
           AND ($2::text[] IS NULL OR function_name = ANY($2::text[]))
         ORDER BY next_wake_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       ${grant("$1", "$4", "$5")} FROM due WHERE e.id = due.id RETURNING e.id, e.epoch, e.lease_expires_at, e.next_wake_at`,
      [now, functionNames ? [...functionNames] : null, limit, owner, leaseMs],
    );
    return rows.sort((a, b) => a.next_wake_at - b.next_wake_at).map((r) => ({ executionId: r.id, owner, epoch: r.epoch, expiresAt: r.lease_expires_at }));
  }

  async claim(executionId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<Lease | undefined> {
    const [row] = await this.query<{ epoch: number; lease_expires_at: number }>(
      `${grant("$1", "$2", "$3")} WHERE e.id = $4 AND e.status = 'RUNNING' AND (e.lease_expires_at IS NULL OR e.lease_expires_at <= $1 OR e.lease_owner = $5)
       RETURNING e.epoch, e.lease_expires_at`,
      [now, owner, leaseMs, executionId, takeOverFrom ?? null],
    );
    return row && { executionId, owner, epoch: row.epoch, expiresAt: row.lease_expires_at };
  }

  async heldDue(now: number): Promise<Array<{ executionId: string; owner: string; functionName: string }>> {
    const rows = await this.query<{ id: string; lease_owner: string; function_name: string }>(
      "SELECT id, lease_owner, function_name FROM executions WHERE status = 'RUNNING' AND next_wake_at <= $1 AND lease_expires_at > $1",
      [now],
    );
    return rows.map((r) => ({ executionId: r.id, owner: r.lease_owner, functionName: r.function_name }));
  }

  async renew(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    const rows = await this.query("UPDATE executions SET lease_expires_at = $1 WHERE id = $2 AND epoch = $3 AND lease_owner IS NOT NULL RETURNING id", [now + leaseMs, lease.executionId, lease.epoch]);
    if (rows.length === 1) lease.expiresAt = now + leaseMs;
    return rows.length === 1;
  }

  commit(batch: CommitBatch): Promise<void> {
    this.checkOpen();
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async nextWakeAt(): Promise<number | undefined> {
    // A leased execution is not due before its lease ends (its holder wakes its own worker).
    const [row] = await this.query<{ at: number | null }>(
      "SELECT min(greatest(next_wake_at, coalesce(lease_expires_at, 0))) AS at FROM executions WHERE status = 'RUNNING' AND next_wake_at IS NOT NULL",
    );
    return row?.at ?? undefined;
  }

  async addSignal(signal: Signal): Promise<void> {
    await this.query("SELECT add_signal($1, $2, $3, $4)", [signal.executionId, signal.operationId, JSON.stringify(signal.outcome), signal.at]);
  }

  async addCallbackSignal(target: CallbackTarget, outcome: CallbackOutcome, clock: () => number): Promise<CallbackSignalAnswer> {
    return this.transaction(async (client) => {
      // The execution's row lock orders senders and the worker's pendingSignals; the clock is read holding it.
      const execution = await client.query<{ status: ExecutionRow["status"] }>("SELECT status FROM executions WHERE id = $1 FOR UPDATE", [target.executionId]);
      const at = clock();
      const operation = await client.query<{ id: string; record: string }>("SELECT id, record FROM operations WHERE execution_id = $1 AND id = $2", [target.executionId, target.operationId]);
      const pending = await this.readPendingSignals(client, target.executionId);
      const row = operation.rows[0];
      const reason = callbackRefusal(execution.rows[0]?.status, row && this.decodeOperation(target.executionId, row), pending, outcome, at);
      if (reason !== undefined) return { accepted: false, reason };
      await client.query("SELECT add_signal($1, $2, $3, $4)", [target.executionId, target.operationId, JSON.stringify(outcome), at]);
      return { accepted: true, at };
    });
  }

  /**
   * Under the execution's row lock, in a statement after it (a new snapshot): a worker that
   * read its clock before this sees every completion a sender committed before that time.
   */
  async pendingSignals(executionId: string): Promise<StoredSignal[]> {
    return this.toSignals(executionId, await this.query<SignalDbRow>("SELECT * FROM pending_signals($1)", [executionId]));
  }

  private async readPendingSignals(client: Pg.PoolClient, executionId: string): Promise<StoredSignal[]> {
    return this.toSignals(executionId, (await client.query<SignalDbRow>("SELECT * FROM signals WHERE execution_id = $1 ORDER BY sequence", [executionId])).rows);
  }

  private toSignals(executionId: string, rows: SignalDbRow[]): StoredSignal[] {
    return rows.map((s) => ({
      sequence: s.sequence,
      executionId: s.execution_id,
      operationId: s.operation_id,
      outcome: decodeRow(this.location, executionId, `signal ${s.sequence} for operation ${s.operation_id} (table signals)`, () => JSON.parse(s.outcome) as Signal["outcome"]),
      at: s.at,
    }));
  }

  async claimDispatch(executionId: string, operationId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<DispatchClaim> {
    return this.transaction(async (client) => {
      // Conflicts with the row lock commit_steps's UPDATE takes: an execution ending meanwhile is seen ended.
      const [execution] = (await client.query<{ status: string }>("SELECT status FROM executions WHERE id = $1 FOR SHARE", [executionId])).rows;
      if (execution?.status !== "RUNNING") return endedDispatch(now);
      await client.query(
        `INSERT INTO dispatches (execution_id, operation_id, owner, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (execution_id, operation_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE dispatches.expires_at <= $5 OR dispatches.owner = excluded.owner OR dispatches.owner = $6`,
        [executionId, operationId, owner, now + leaseMs, now, takeOverFrom ?? null],
      );
      const holder = (await client.query<{ owner: string; expires_at: number }>("SELECT owner, expires_at FROM dispatches WHERE execution_id = $1 AND operation_id = $2", [executionId, operationId])).rows[0]!;
      return holder.owner === owner ? { claimed: true, expiresAt: holder.expires_at } : { claimed: false, owner: holder.owner, expiresAt: holder.expires_at };
    });
  }

  async findCallback(callbackId: string): Promise<{ executionId: string; operationId: string } | undefined> {
    const [row] = await this.query<{ execution_id: string; operation_id: string }>("SELECT execution_id, operation_id FROM callbacks WHERE callback_id = $1", [callbackId]);
    return row && { executionId: row.execution_id, operationId: row.operation_id };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushing;
    this.closed = true;
    clearInterval(this.changesPoll);
    clearTimeout(this.relisten);
    const listener = this.listener;
    this.listener = undefined;
    this.wakeListeners.clear();
    await listener?.end().catch(() => undefined);
    await this.committer?.end().catch(() => undefined);
    this.committer = undefined;
    await this.pool.end();
  }

  /** Writes the queued batches, then any that arrived meanwhile, one transaction (one round trip) each. */
  private async flush(): Promise<void> {
    // Let the checkpoints issued in this turn of the event loop join the first transaction,
    // unless the last transaction went alone (one handler's sequential steps): none is expected
    // to join, and the wait would only delay it; checkpoints that come anyway join the next
    // transaction. An invocation's opening batch always waits: the engine does not await it,
    // and the handler's first checkpoints follow it at once.
    if (this.lastGroupSize !== 1 || this.queue[0]?.batch.execution?.invocations !== undefined) await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      // By execution id, so that two processes' group commits lock rows in the same order.
      const pending = this.queue.splice(0).sort((a, b) => (a.batch.executionId < b.batch.executionId ? -1 : a.batch.executionId > b.batch.executionId ? 1 : 0));
      this.lastGroupSize = pending.length;
      let refused: number[];
      try {
        refused = await this.writeBatches(pending.map((p) => p.batch));
      } catch (error) {
        const described = describePgError(this.location, error);
        const failure = new StoreFileError(`Checkpoint not committed: ${described.message} Nothing of this batch was written; what was committed before is intact.`, {
          cause: error,
          transient: described.transient,
        });
        for (const { reject } of pending) reject(failure);
        continue;
      }
      const stale = new Set(refused);
      pending.forEach(({ batch, resolve, reject }, index) => (stale.has(index) ? reject(new LeaseLostError(batch.executionId, batch.epoch)) : resolve()));
    }
    this.flushing = undefined;
  }

  /** Writes batches in one transaction; answers the indexes of those refused (a stale epoch). */
  private async writeBatches(batches: CommitBatch[]): Promise<number[]> {
    if (batches.length === 1 && isRecordsOnly(batches[0]!)) return (await this.commitWithRetry(recordsStatement(batches[0]!))).rows[0]!.written ? [] : [0];
    const groups = mergeByClaim(batches);
    // commit_group writes batches set by set, which needs one per execution; its one statement
    // costs more to start than commit_steps's few, which write a small group for less.
    const grouped = groups.length >= GROUP_MIN_BATCHES && new Set(groups.map((g) => g.batch.executionId)).size === groups.length;
    const statement = grouped
      ? { name: "commit_group", text: "SELECT commit_group($1::jsonb) AS refused", values: [JSON.stringify(groups.map((g) => toBatchJson(g.batch)))] }
      : { name: "commit_steps", text: "SELECT commit_steps($1::jsonb) AS refused", values: [JSON.stringify(batches.map(toBatchJson))] };
    const refused = (await this.commitWithRetry<{ refused: number[] }>(statement)).rows[0]!.refused;
    return grouped ? refused.flatMap((index) => groups[index]!.indexes) : refused;
  }

  private async commitWithRetry<R extends Pg.QueryResultRow>(statement: Pg.QueryConfig): Promise<Pg.QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A named statement: the connection parses and plans it once.
        return await this.commitQuery<R>(statement);
      } catch (error) {
        // A deadlock with another process's group commit rolled this one back whole: try again.
        if (!RETRYABLE.has((error as { code?: string }).code ?? "") || attempt >= 5) throw error;
      }
    }
  }

  /** Runs a statement on the commit connection, connecting it first if need be; a connection that failed is replaced by the next call. */
  private commitQuery<R extends Pg.QueryResultRow>(statement: Pg.QueryConfig): Promise<Pg.QueryResult<R>> {
    const client = this.committer;
    if (!client) return this.connectCommitter().then((connected) => this.commitQueryOn<R>(connected, statement));
    return this.commitQueryOn<R>(client, statement);
  }

  private commitQueryOn<R extends Pg.QueryResultRow>(client: Pg.Client, statement: Pg.QueryConfig): Promise<Pg.QueryResult<R>> {
    // pg's callback form: its promise form adds two more promises to every step's commit.
    return new Promise((resolve, reject) =>
      client.query<R>(statement, (error, result) => {
        if (!error) return resolve(result);
        // A failed statement leaves the connection usable, a lost one does not: replace it either way (failures are rare).
        if (this.committer === client) this.committer = undefined;
        void client.end().catch(() => undefined);
        reject(error);
      }),
    );
  }

  private async connectCommitter(): Promise<Pg.Client> {
    const client = new this.driver.Client(this.clientConfig);
    client.on("error", () => {
      if (this.committer === client) this.committer = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    this.committer = client;
    return client;
  }

  private async query<R extends Pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.checkOpen();
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw describePgError(this.location, error);
    }
  }

  private async transaction<T>(work: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    this.checkOpen();
    let client: Pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw describePgError(this.location, error);
    }
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
      throw describePgError(this.location, error);
    }
  }

  private decodeOperation(executionId: string, row: { id: string; record: string }): OperationRecord {
    return decodeRow(this.location, executionId, `operation row ${row.id} (table operations)`, () => decodeRecord(row.record));
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreFileError(`The store ${this.location} is closed`);
  }
}

/**
 * A claim (the parameters holding now, the owner, the base lease): a new epoch, and a lease
 * doubled for each claim that took over an expired, unreleased one since a step last
 * finished (leaseLength, endsExpiredLeases).
 */
function grant(now: string, owner: string, leaseMs: string): string {
  const expired = "e.expired_leases + CASE WHEN e.lease_owner IS NULL THEN 0 ELSE 1 END";
  return `UPDATE executions e SET epoch = e.epoch + 1, lease_owner = ${owner}::text, expired_leases = ${expired},
    lease_expires_at = ${now}::bigint + ${leaseMs}::bigint * (1 << least(${expired}, 4))`;
}

/** A batch, or batches merged: recordAt holds each record's time when they differ from `at`. */
type MergedBatch = CommitBatch & { recordAt?: number[] };

/**
 * Consecutive batches of one execution under one claim, merged into one (the engine's
 * invocation start and the handler's first checkpoints, a last checkpoint and the end): the
 * records in order, later execution changes and invocation fields over earlier ones. Merged
 * only when that writes what applying them one by one writes: the invocation number set by the
 * first batch alone (its records' invocation), the same invocation row, no back-off, signals
 * applied by the first alone (a wake-up time set before them is advanced by them).
 */
function mergeByClaim(batches: CommitBatch[]): Array<{ batch: MergedBatch; indexes: number[] }> {
  const groups: Array<{ batch: MergedBatch; indexes: number[] }> = [];
  batches.forEach((batch, index) => {
    const last = groups[groups.length - 1];
    const previous = last?.batch;
    const mergeable =
      last !== undefined &&
      previous !== undefined &&
      previous.executionId === batch.executionId &&
      previous.epoch === batch.epoch &&
      batch.execution?.invocations === undefined &&
      !batch.appliedSignals?.length &&
      !previous.backOff &&
      !batch.backOff &&
      (previous.invocation === undefined || batch.invocation === undefined || previous.invocation.invocation === batch.invocation.invocation);
    if (!mergeable) {
      groups.push({ batch, indexes: [index] });
      return;
    }
    const invocation = previous.invocation && batch.invocation ? { ...previous.invocation, ...definedFields(batch.invocation), startedAt: previous.invocation.startedAt } : (previous.invocation ?? batch.invocation);
    last.batch = {
      executionId: batch.executionId,
      epoch: batch.epoch,
      at: batch.at,
      operations: [...previous.operations, ...batch.operations],
      // Each record keeps its own batch's time in the history.
      recordAt: [...(previous.recordAt ?? previous.operations.map(() => previous.at)), ...batch.operations.map(() => batch.at)],
      execution: previous.execution || batch.execution ? { ...previous.execution, ...batch.execution } : undefined,
      invocation,
      appliedSignals: [...(previous.appliedSignals ?? []), ...(batch.appliedSignals ?? [])],
      signals: [...(previous.signals ?? []), ...(batch.signals ?? [])],
      release: previous.release === true || batch.release === true,
    };
    last.indexes.push(index);
  });
  return groups;
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A batch commit_records writes: records and nothing else (a sequential step's checkpoint). */
function isRecordsOnly(batch: CommitBatch): boolean {
  return (
    batch.operations.length > 0 &&
    batch.execution === undefined &&
    batch.invocation === undefined &&
    !batch.appliedSignals?.length &&
    !batch.signals?.length &&
    batch.release !== true &&
    batch.backOff !== true &&
    batch.operations.every((record) => callbackIdsOf(record).length === 0)
  );
}

/** Each operation of a batch once, in the order of first appearance, with the 1-based places of its first and latest record. */
function placesOf(records: OperationRecord[]): Map<string, { first: number; last: number }> {
  const places = new Map<string, { first: number; last: number }>();
  records.forEach((record, index) => {
    const place = places.get(record.Id);
    if (place) place.last = index + 1;
    else places.set(record.Id, { first: index + 1, last: index + 1 });
  });
  return places;
}

/** commit_records's call (postgres-schema.ts, version 3) for a batch of records only. */
function recordsStatement(batch: CommitBatch): Pg.QueryConfig {
  const places = placesOf(batch.operations);
  const operations = [...places.values()];
  return {
    name: "commit_records",
    text: "SELECT commit_records($1, $2, $3, $4, $5, $6, $7, $8) AS written",
    values: [batch.executionId, batch.epoch, batch.at, batch.operations.map(encodeRecord), [...places.keys()], operations.map((o) => o.first), operations.map((o) => o.last), endsExpiredLeases(batch)],
  };
}

/** A batch as commit_steps reads it (postgres-schema.ts): a key present in x sets that column; flags only when true. */
function toBatchJson(batch: MergedBatch): Record<string, unknown> {
  const x: Record<string, unknown> = {};
  const e = batch.execution;
  if (e) {
    if ("status" in e) x.status = e.status;
    if ("result" in e) x.result = e.result ?? null;
    if ("error" in e) x.error = e.error === undefined ? null : JSON.stringify(e.error);
    if ("endedAt" in e) x.endedAt = e.endedAt ?? null;
    if ("nextWakeAt" in e) x.nextWakeAt = e.nextWakeAt ?? null;
    if ("invocations" in e) x.invocations = e.invocations;
  }
  // One history update per record; one operations row per operation, holding its latest record.
  const callbacks = batch.operations.flatMap((record) => callbackIdsOf(record).map((callbackId) => [callbackId, record.Id]));
  const i = batch.invocation;
  const json: Record<string, unknown> = { e: batch.executionId, p: batch.epoch, at: batch.at };
  if (batch.operations.length > 0) {
    json.u = batch.operations.map(encodeRecord);
    json.o = [...placesOf(batch.operations)].map(([id, place]) => ({ id, f: place.first, l: place.last }));
    if (batch.recordAt?.some((at) => at !== batch.at)) json.t = batch.recordAt;
  }
  if (callbacks.length > 0) json.cb = callbacks;
  if (e) json.x = x;
  if (i) json.inv = { invocation: i.invocation, startedAt: i.startedAt, endedAt: i.endedAt ?? null, requestId: i.requestId ?? null, outcome: i.outcome ?? null, warm: i.warm ?? null };
  if (batch.appliedSignals?.length) json.applied = batch.appliedSignals;
  if (batch.signals?.length) json.sig = batch.signals.map((s) => ({ e: s.executionId, o: s.operationId, outcome: JSON.stringify(s.outcome), at: s.at }));
  if (batch.release === true) json.rel = 1;
  if (endsExpiredLeases(batch)) json.xl = 1;
  if (batch.backOff === true) json.bo = 1;
  return json;
}

/** Turns a driver or server error into one that names the database, the cause and what to do. */
/** The messages node-postgres gives a connection that broke under a query (lib/client.js). */
const LOST_CONNECTION = /^(Connection terminated unexpectedly|Client has encountered a connection error and is not queryable)$/;

export function describePgError(location: string, error: unknown): StoreFileError {
  if (error instanceof StoreFileError) return error;
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error).message;
  if (["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EHOSTUNREACH", "EPIPE"].includes(code) || code.startsWith("08") || code === "57P01" || code === "57P03") {
    return new StoreFileError(`Cannot reach the PostgreSQL store ${location} (${code}: ${message}); check that the server runs and the URL's host and port.`, { cause: error, transient: true });
  }
  // pg's own errors for a connection lost mid-query carry no SQLSTATE (a network cut, a killed backend).
  if (code === "" && LOST_CONNECTION.test(message)) {
    return new StoreFileError(`Lost the connection to the PostgreSQL store ${location} (${message}); retry: the next call connects again. Nothing the server did not acknowledge was written.`, { cause: error, transient: true });
  }
  if (code === "28P01" || code === "28000") return new StoreFileError(`The PostgreSQL store ${location} refused the login (${message}); check the user and password in the URL.`, { cause: error });
  if (code === "3D000") return new StoreFileError(`The PostgreSQL store ${location}: ${message}; create the database first (createdb), or fix its name in the URL.`, { cause: error });
  if (code === "42501") return new StoreFileError(`The PostgreSQL store ${location}: permission denied (${message}); the URL's user needs to create and write the store's schema.`, { cause: error });
  if (code === "53100" || code === "53200" || code === "53300" || RETRYABLE.has(code)) {
    return new StoreFileError(`The PostgreSQL store ${location} could not write now (${code}: ${message}); retry. Nothing was lost.`, { cause: error, transient: true });
  }
  return new StoreFileError(`The PostgreSQL store ${location} failed: ${message}`, { cause: error });
}
