// The SQLite store's schema. application_id marks a file as a replayable store;
// user_version is the schema version, checked on every open (MIGRATE_V1 and MIGRATE_V2 upgrade older files).

/** "rply" as a 32-bit integer. */
export const STORE_APPLICATION_ID = 0x72706c79;
export const SCHEMA_VERSION = 3;

/**
 * Which engine runs the plain function of an invoke, until when (renewed while it runs).
 * Added to schema 1 without a version change: a store made before it gets the table when
 * it opens, and an older replayable ignores it.
 */
export const DISPATCHES_TABLE = `
CREATE TABLE IF NOT EXISTS dispatches (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (execution_id, operation_id)
) WITHOUT ROWID;
`;

/** Claims in a row that took the execution over from a lease that expired unreleased (added to schema 1 the same way). */
export const EXPIRED_LEASES_COLUMN = "ALTER TABLE executions ADD COLUMN expired_leases INTEGER NOT NULL DEFAULT 0";

/**
 * How long a claim holds an execution: the base lease, doubled for each claim that took it
 * over from an expired, unreleased lease (its worker died, or stopped renewing while a step
 * blocked its event loop longer than the lease) since a step last finished
 * (endsExpiredLeases), up to 16 times. A step that outlasts the lease then finishes in a later
 * claim, instead of two workers taking it from each other forever.
 */
export function leaseLength(baseMs: number, expiredLeases: number): number {
  return baseMs * 2 ** Math.min(expiredLeases, 4);
}

/**
 * Schema 2's history (kept for MIGRATE_V1, which builds it from schema 1): every committed state,
 * appended store-wide, found by execution through an index on (execution_id, number).
 */
const HISTORY_TABLE_V2 = `
CREATE TABLE history (
  sequence INTEGER PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id),
  number INTEGER NOT NULL,
  operation_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  invocation INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE UNIQUE INDEX history_execution ON history (execution_id, number);
`;

/**
 * Every committed state of every operation, appended store-wide in commit order: the
 * executions' histories, and an operation's latest state is its last row. Each row points to
 * its execution's previous row (`previous`), and history_heads holds where each execution's
 * chain ends: a commit writes the pages at the table's end and one small heads row, and no
 * index. Schema 2's index on (execution_id, number) put every execution's entries in a leaf of
 * its own, so a group commit of 50 executions wrote ~50 index pages (1.25 ms against 0.5 ms
 * for the same 50 two-row batches chained, fsync included). `number` is the execution's own
 * sequence (1, 2, ...), the one loadUpdates reports.
 */
const HISTORY_TABLES = `
CREATE TABLE history_heads (
  key INTEGER PRIMARY KEY,
  execution_id TEXT NOT NULL UNIQUE REFERENCES executions (id),
  last_number INTEGER NOT NULL DEFAULT 0,
  last_sequence INTEGER,
  last_at INTEGER
);
CREATE TABLE history (
  sequence INTEGER PRIMARY KEY,
  execution_key INTEGER NOT NULL,
  previous INTEGER,
  number INTEGER NOT NULL,
  operation_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  invocation INTEGER NOT NULL,
  record TEXT NOT NULL
);
`;

/**
 * Schema 1 to 2, in the transaction that opens the file: schema 1's history (table updates)
 * becomes the history table; its operations table held each operation's last update, which
 * the history's last row per operation now is. (A damaged row's operation id is unknown: ''.)
 */
export const MIGRATE_V1 = `
${HISTORY_TABLE_V2}
INSERT INTO history (execution_id, number, operation_id, at, invocation, record)
  SELECT execution_id, sequence, coalesce(CASE WHEN json_valid(record) THEN json_extract(record, '$.Id') END, ''), at, invocation, record
  FROM updates ORDER BY at, execution_id, sequence;
DROP TABLE updates;
DROP TABLE operations;
`;

/**
 * Schema 2 to 3, in the same transaction: every execution gets its heads row (keys in creation
 * order), the history is rewritten chained (its sequence numbers kept), and schema 2's table and
 * index are dropped.
 */
export const MIGRATE_V2 = `
ALTER TABLE history RENAME TO history_v2;
${HISTORY_TABLES}
INSERT INTO history_heads (execution_id) SELECT id FROM executions ORDER BY created_at, rowid;
UPDATE history_heads SET (last_number, last_sequence, last_at) =
  (SELECT number, sequence, at FROM history_v2 WHERE execution_id = history_heads.execution_id ORDER BY number DESC LIMIT 1)
  WHERE EXISTS (SELECT 1 FROM history_v2 WHERE execution_id = history_heads.execution_id);
INSERT INTO history (sequence, execution_key, previous, number, operation_id, at, invocation, record)
  SELECT v.sequence, h.key, lag(v.sequence) OVER (PARTITION BY v.execution_id ORDER BY v.number), v.number, v.operation_id, v.at, v.invocation, v.record
  FROM history_v2 v JOIN history_heads h ON h.execution_id = v.execution_id;
DROP TABLE history_v2;
`;

export const SCHEMA = `
CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  function_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  input TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  ended_at INTEGER,
  next_wake_at INTEGER,
  parent_execution_id TEXT,
  parent_operation_id TEXT,
  epoch INTEGER NOT NULL DEFAULT 0,
  invocations INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  expired_leases INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX executions_due ON executions (status, next_wake_at);
CREATE INDEX executions_created ON executions (created_at);

${HISTORY_TABLES}
CREATE TABLE invocations (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  invocation INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  request_id TEXT,
  outcome TEXT,
  warm INTEGER,
  PRIMARY KEY (execution_id, invocation)
) WITHOUT ROWID;

CREATE TABLE callbacks (
  callback_id TEXT PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL
) WITHOUT ROWID;

-- Completions from outside (callbacks, finished invokes) not yet applied by a worker.
CREATE TABLE signals (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX signals_execution ON signals (execution_id, sequence);
${DISPATCHES_TABLE}
`;
