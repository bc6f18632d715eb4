// The SQLite store's schema. application_id marks a file as a replayable store;
// user_version is the schema version, checked on every open.

/** "rply" as a 32-bit integer. */
export const STORE_APPLICATION_ID = 0x72706c79;
export const SCHEMA_VERSION = 1;

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

-- The latest state of each operation; first_sequence keeps first-write order.
CREATE TABLE operations (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  id TEXT NOT NULL,
  first_sequence INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (execution_id, id)
) WITHOUT ROWID;

-- Every committed state, in order: the execution's history.
CREATE TABLE updates (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  sequence INTEGER NOT NULL,
  at INTEGER NOT NULL,
  invocation INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (execution_id, sequence)
) WITHOUT ROWID;

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
