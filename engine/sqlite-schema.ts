// The SQLite store's schema. application_id marks a file as a replayable store;
// user_version is the schema version, checked on every open (MIGRATE_V1 upgrades a schema-1 file).

/** "rply" as a 32-bit integer. */
export const STORE_APPLICATION_ID = 0x72706c79;
export const SCHEMA_VERSION = 2;

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
 * Every committed state of every operation, appended in commit order: the executions'
 * histories, and an operation's latest state is its last row. Keyed store-wide, so a group
 * commit of many executions appends to the same few pages (schema 1 kept a row per operation
 * and a history keyed by execution: two B-tree leaves per execution per commit). `number` is
 * the execution's own sequence (1, 2, ...), the one loadUpdates reports.
 */
const HISTORY_TABLE = `
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
 * Schema 1 to 2, in the transaction that opens the file: schema 1's history (table updates)
 * becomes the history table; its operations table held each operation's last update, which
 * the history's last row per operation now is. (A damaged row's operation id is unknown: ''.)
 */
export const MIGRATE_V1 = `
${HISTORY_TABLE}
INSERT INTO history (execution_id, number, operation_id, at, invocation, record)
  SELECT execution_id, sequence, coalesce(CASE WHEN json_valid(record) THEN json_extract(record, '$.Id') END, ''), at, invocation, record
  FROM updates ORDER BY at, execution_id, sequence;
DROP TABLE updates;
DROP TABLE operations;
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

${HISTORY_TABLE}
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
