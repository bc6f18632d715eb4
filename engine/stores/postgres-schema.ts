// The PostgreSQL store's schema, in a PostgreSQL schema of its own (default "replayable"),
// so it can live in a database other programs use. Its table `store_version` marks the
// schema as a replayable store and holds the version: MIGRATIONS[n] takes version n to n + 1,
// and a store newer than this code is refused untouched.

export const PG_SCHEMA_VERSION = 3;

/** The notification channel a commit that makes work for other workers sends on. */
export const WAKE_CHANNEL = "replayable_wake";

const VERSION_1 = `
CREATE TABLE store_version (version INTEGER NOT NULL);
INSERT INTO store_version (version) VALUES (1);

CREATE TABLE executions (
  id TEXT COLLATE "C" PRIMARY KEY,
  function_name TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  input TEXT NOT NULL,
  result TEXT,
  error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ended_at BIGINT,
  next_wake_at BIGINT,
  parent_execution_id TEXT,
  parent_operation_id TEXT,
  epoch INTEGER NOT NULL DEFAULT 0,
  invocations INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  expired_leases INTEGER NOT NULL DEFAULT 0,
  -- The sequence of the execution's latest update (so a commit needs no max() over updates).
  last_sequence INTEGER NOT NULL DEFAULT 0
);
-- Due executions by wake-up time: the claim's and the worker timer's index.
CREATE INDEX executions_due ON executions (next_wake_at) WHERE status = 'RUNNING';
CREATE INDEX executions_created ON executions (created_at DESC, id);

CREATE TABLE operations (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  id TEXT NOT NULL,
  first_sequence INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (execution_id, id)
);

CREATE TABLE updates (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  sequence INTEGER NOT NULL,
  at BIGINT NOT NULL,
  invocation INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (execution_id, sequence)
);

CREATE TABLE invocations (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  invocation INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  request_id TEXT,
  outcome TEXT,
  warm BOOLEAN,
  PRIMARY KEY (execution_id, invocation)
);

CREATE TABLE callbacks (
  callback_id TEXT PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL
);

CREATE TABLE signals (
  sequence BIGSERIAL PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX signals_execution ON signals (execution_id, sequence);

CREATE TABLE dispatches (
  execution_id TEXT NOT NULL REFERENCES executions (id),
  operation_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (execution_id, operation_id)
);

-- Moves on every write: the console's change counter (dataVersion).
CREATE SEQUENCE changes;

-- Records a signal and makes its execution due at the signal's time.
CREATE FUNCTION add_signal(p_execution TEXT, p_operation TEXT, p_outcome TEXT, p_at BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  inserted BIGINT;
BEGIN
  INSERT INTO signals (execution_id, operation_id, outcome, at) VALUES (p_execution, p_operation, p_outcome, p_at) RETURNING sequence INTO inserted;
  UPDATE executions SET next_wake_at = least(coalesce(next_wake_at, p_at), p_at) WHERE id = p_execution AND status = 'RUNNING';
  PERFORM nextval('changes');
  PERFORM pg_notify('${WAKE_CHANNEL}', '');
  RETURN inserted;
END $$;

-- Applies checkpoint batches in the caller's transaction (one round trip for a group
-- commit). Each batch is fenced: a batch whose epoch is not the execution's is skipped and
-- its index returned, the others are written. Batch fields: e execution, p epoch, at, ops
-- [{id, rec, cb}], x execution changes (a key present sets the column, null clears it),
-- inv invocation row, applied signal sequences, sig signals for other executions, rel release,
-- xl a step finished (endsExpiredLeases), bo a back-off release (CommitBatch.backOff).
CREATE FUNCTION commit_batches(batches JSONB) RETURNS INTEGER[] LANGUAGE plpgsql AS $$
DECLARE
  b JSONB; x JSONB; op JSONB; s JSONB; i INTEGER := 0; refused INTEGER[] := '{}';
  current_epoch INTEGER; current_invocations INTEGER; seq INTEGER; inv INTEGER; at_ms BIGINT; earliest BIGINT; wake BOOLEAN := false;
  new_status TEXT; new_wake BIGINT;
BEGIN
  FOR b IN SELECT value FROM jsonb_array_elements(batches) LOOP
    SELECT epoch, invocations, last_sequence INTO current_epoch, current_invocations, seq FROM executions WHERE id = b->>'e' FOR UPDATE;
    IF NOT FOUND OR current_epoch <> (b->>'p')::INTEGER THEN
      refused := refused || i;
      i := i + 1;
      CONTINUE;
    END IF;
    x := coalesce(b->'x', '{}');
    at_ms := (b->>'at')::BIGINT;
    -- States set when an invocation opens belong to it.
    inv := coalesce((x->>'invocations')::INTEGER, current_invocations);
    FOR op IN SELECT value FROM jsonb_array_elements(coalesce(b->'ops', '[]')) LOOP
      seq := seq + 1;
      INSERT INTO operations (execution_id, id, first_sequence, record) VALUES (b->>'e', op->>'id', seq, op->>'rec')
        ON CONFLICT (execution_id, id) DO UPDATE SET record = excluded.record;
      INSERT INTO updates (execution_id, sequence, at, invocation, record) VALUES (b->>'e', seq, at_ms, inv, op->>'rec');
      IF op ? 'cb' THEN
        INSERT INTO callbacks (callback_id, execution_id, operation_id) VALUES (op->>'cb', b->>'e', op->>'id') ON CONFLICT DO NOTHING;
      END IF;
    END LOOP;
    IF b ? 'inv' THEN
      INSERT INTO invocations (execution_id, invocation, started_at, ended_at, request_id, outcome, warm)
      VALUES (b->>'e', (b->'inv'->>'invocation')::INTEGER, (b->'inv'->>'startedAt')::BIGINT, (b->'inv'->>'endedAt')::BIGINT,
              b->'inv'->>'requestId', b->'inv'->>'outcome', (b->'inv'->>'warm')::BOOLEAN)
      ON CONFLICT (execution_id, invocation) DO UPDATE SET
        ended_at = coalesce(excluded.ended_at, invocations.ended_at), request_id = coalesce(excluded.request_id, invocations.request_id),
        outcome = coalesce(excluded.outcome, invocations.outcome), warm = coalesce(excluded.warm, invocations.warm);
    END IF;
    UPDATE executions SET
      updated_at = at_ms,
      last_sequence = seq,
      invocations = inv,
      status = CASE WHEN x ? 'status' THEN x->>'status' ELSE status END,
      result = CASE WHEN x ? 'result' THEN x->>'result' ELSE result END,
      error = CASE WHEN x ? 'error' THEN x->>'error' ELSE error END,
      ended_at = CASE WHEN x ? 'endedAt' THEN (x->>'endedAt')::BIGINT ELSE ended_at END,
      next_wake_at = CASE WHEN x ? 'nextWakeAt' THEN (x->>'nextWakeAt')::BIGINT ELSE next_wake_at END,
      lease_owner = CASE WHEN (b->>'rel')::BOOLEAN THEN NULL ELSE lease_owner END,
      lease_expires_at = CASE WHEN (b->>'rel')::BOOLEAN THEN NULL ELSE lease_expires_at END,
      expired_leases = CASE WHEN (b->>'xl')::BOOLEAN THEN 0 ELSE expired_leases END
    WHERE id = b->>'e'
    RETURNING status, next_wake_at INTO new_status, new_wake;
    -- An ended execution dispatches nothing more (endsExecution).
    IF new_status <> 'RUNNING' THEN
      DELETE FROM dispatches WHERE execution_id = b->>'e';
    END IF;
    IF b ? 'applied' THEN
      DELETE FROM signals WHERE sequence IN (SELECT jsonb_array_elements_text(b->'applied')::BIGINT);
    END IF;
    -- A signal that arrived while the worker ran is not lost by the wake-up time it commits.
    -- A worker backing off (bo) stays due at its own retry time, not at the pending signals'.
    SELECT min(signals.at) INTO earliest FROM signals WHERE execution_id = b->>'e';
    IF earliest IS NOT NULL AND NOT (b->>'bo')::BOOLEAN THEN
      UPDATE executions SET next_wake_at = least(coalesce(next_wake_at, earliest), earliest) WHERE id = b->>'e' AND status = 'RUNNING';
    END IF;
    FOR s IN SELECT value FROM jsonb_array_elements(coalesce(b->'sig', '[]')) LOOP
      INSERT INTO signals (execution_id, operation_id, outcome, at) VALUES (s->>'e', s->>'o', s->>'outcome', (s->>'at')::BIGINT);
      UPDATE executions SET next_wake_at = least(coalesce(next_wake_at, (s->>'at')::BIGINT), (s->>'at')::BIGINT) WHERE id = s->>'e' AND status = 'RUNNING';
      wake := true;
    END LOOP;
    -- Released with work left: other workers may claim it (at once, or at their next timer).
    IF (b->>'rel')::BOOLEAN AND new_status = 'RUNNING' AND coalesce(new_wake, earliest) IS NOT NULL THEN wake := true; END IF;
    i := i + 1;
  END LOOP;
  PERFORM nextval('changes');
  IF wake THEN PERFORM pg_notify('${WAKE_CHANNEL}', ''); END IF;
  RETURN refused;
END $$;
`;

// Version 2: a leaner step commit (issue 19). commit_steps writes each batch with one fenced
// UPDATE of the execution row (no separate FOR UPDATE lock), its history rows with one INSERT,
// and one operations row per operation (the latest of its states in the batch); it reads the
// pending signals only when the batch sets the wake-up time. The foreign keys of operations
// and updates go: only commit_steps writes those tables, after its UPDATE found the execution
// (executions are never deleted), and checking them cost about as much as the rest of a step's
// commit. commit_batches stays for workers of version 1 still running during an upgrade.
// pending_signals makes an invocation's read of its signals one round trip instead of four.
const VERSION_2 = `
ALTER TABLE operations DROP CONSTRAINT operations_execution_id_fkey;
ALTER TABLE updates DROP CONSTRAINT updates_execution_id_fkey;

-- An execution's pending signals, read under its row lock in a statement after taking it: a
-- volatile function's every statement has a new snapshot, so the read sees all a sender holding
-- the lock committed.
CREATE FUNCTION pending_signals(p_execution TEXT) RETURNS SETOF signals LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM executions WHERE id = p_execution FOR SHARE;
  RETURN QUERY SELECT * FROM signals WHERE execution_id = p_execution ORDER BY sequence;
END $$;

-- What follows a written batch that sets a wake-up time, signals other executions or releases
-- (new_status, new_wake: its execution's after the write); answers whether to NOTIFY. A signal
-- that arrived while the worker ran is not lost by the wake-up time it commits (a batch that
-- leaves the time alone keeps the one add_signal set, under the row lock); a worker backing off
-- (bo) stays due at its own retry time, not at the pending signals'.
CREATE FUNCTION follow_batch(b JSONB, new_status TEXT, new_wake BIGINT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  s JSONB; earliest BIGINT; wake BOOLEAN := false;
BEGIN
  IF b->'x' ? 'nextWakeAt' THEN
    SELECT min(signals.at) INTO earliest FROM signals WHERE execution_id = b->>'e';
    IF earliest IS NOT NULL AND NOT b ? 'bo' THEN
      UPDATE executions SET next_wake_at = least(coalesce(next_wake_at, earliest), earliest) WHERE id = b->>'e' AND status = 'RUNNING';
    END IF;
  END IF;
  FOR s IN SELECT value FROM jsonb_array_elements(coalesce(b->'sig', '[]')) LOOP
    INSERT INTO signals (execution_id, operation_id, outcome, at) VALUES (s->>'e', s->>'o', s->>'outcome', (s->>'at')::BIGINT);
    UPDATE executions SET next_wake_at = least(coalesce(next_wake_at, (s->>'at')::BIGINT), (s->>'at')::BIGINT) WHERE id = s->>'e' AND status = 'RUNNING';
    wake := true;
  END LOOP;
  -- Released with work left: other workers may claim it (at once, or at their next timer).
  RETURN wake OR (b ? 'rel' AND new_status = 'RUNNING' AND coalesce(new_wake, earliest) IS NOT NULL);
END $$;

-- Batch fields: e execution, p epoch, at, u the records in order (one history update each),
-- o [{id, f, l}] each operation once: f and l the 1-based places in u of its first and latest
-- record, cb [[callback id, operation id]], x execution changes (a key present sets the
-- column, null clears it), inv invocation row, applied signal sequences, sig signals for other
-- executions; flags present when true: rel release, xl a step finished, bo a back-off release.
CREATE FUNCTION commit_steps(batches JSONB) RETURNS INTEGER[] LANGUAGE plpgsql AS $$
DECLARE
  b JSONB; x JSONB; i INTEGER := 0; refused INTEGER[] := '{}'; e TEXT; n INTEGER;
  seq INTEGER; inv INTEGER; at_ms BIGINT; wake BOOLEAN := false;
  new_status TEXT; new_wake BIGINT;
BEGIN
  FOR b IN SELECT value FROM jsonb_array_elements(batches) LOOP
    e := b->>'e';
    x := coalesce(b->'x', '{}');
    at_ms := (b->>'at')::BIGINT;
    n := coalesce(jsonb_array_length(b->'u'), 0);
    -- Fenced: a batch whose epoch is not the execution's is skipped and its index returned.
    UPDATE executions SET
      updated_at = at_ms,
      last_sequence = last_sequence + n,
      -- States set when an invocation opens belong to it.
      invocations = coalesce((x->>'invocations')::INTEGER, invocations),
      status = CASE WHEN x ? 'status' THEN x->>'status' ELSE status END,
      result = CASE WHEN x ? 'result' THEN x->>'result' ELSE result END,
      error = CASE WHEN x ? 'error' THEN x->>'error' ELSE error END,
      ended_at = CASE WHEN x ? 'endedAt' THEN (x->>'endedAt')::BIGINT ELSE ended_at END,
      next_wake_at = CASE WHEN x ? 'nextWakeAt' THEN (x->>'nextWakeAt')::BIGINT ELSE next_wake_at END,
      lease_owner = CASE WHEN b ? 'rel' THEN NULL ELSE lease_owner END,
      lease_expires_at = CASE WHEN b ? 'rel' THEN NULL ELSE lease_expires_at END,
      expired_leases = CASE WHEN b ? 'xl' THEN 0 ELSE expired_leases END
    WHERE id = e AND epoch = (b->>'p')::INTEGER
    RETURNING last_sequence - n, invocations, status, next_wake_at INTO seq, inv, new_status, new_wake;
    IF NOT FOUND THEN
      refused := refused || i;
      i := i + 1;
      CONTINUE;
    END IF;
    IF n > 0 THEN
      INSERT INTO updates (execution_id, sequence, at, invocation, record)
        SELECT e, seq + u.n, at_ms, inv, u.r FROM jsonb_array_elements_text(b->'u') WITH ORDINALITY AS u(r, n);
      INSERT INTO operations (execution_id, id, first_sequence, record)
        SELECT e, o->>'id', seq + (o->>'f')::INTEGER, b->'u'->>((o->>'l')::INTEGER - 1) FROM jsonb_array_elements(b->'o') AS o
        ON CONFLICT (execution_id, id) DO UPDATE SET record = excluded.record;
    END IF;
    IF b ? 'cb' THEN
      INSERT INTO callbacks (callback_id, execution_id, operation_id)
        SELECT c->>0, e, c->>1 FROM jsonb_array_elements(b->'cb') AS c ON CONFLICT DO NOTHING;
    END IF;
    IF b ? 'inv' THEN
      INSERT INTO invocations (execution_id, invocation, started_at, ended_at, request_id, outcome, warm)
      VALUES (e, (b->'inv'->>'invocation')::INTEGER, (b->'inv'->>'startedAt')::BIGINT, (b->'inv'->>'endedAt')::BIGINT,
              b->'inv'->>'requestId', b->'inv'->>'outcome', (b->'inv'->>'warm')::BOOLEAN)
      ON CONFLICT (execution_id, invocation) DO UPDATE SET
        ended_at = coalesce(excluded.ended_at, invocations.ended_at), request_id = coalesce(excluded.request_id, invocations.request_id),
        outcome = coalesce(excluded.outcome, invocations.outcome), warm = coalesce(excluded.warm, invocations.warm);
    END IF;
    -- An ended execution dispatches nothing more (endsExecution).
    IF new_status <> 'RUNNING' THEN
      DELETE FROM dispatches WHERE execution_id = e;
    END IF;
    IF b ? 'applied' THEN
      DELETE FROM signals WHERE sequence IN (SELECT jsonb_array_elements_text(b->'applied')::BIGINT);
    END IF;
    IF x ? 'nextWakeAt' OR b ? 'sig' OR b ? 'rel' THEN
      wake := follow_batch(b, new_status, new_wake) OR wake;
    END IF;
    i := i + 1;
  END LOOP;
  PERFORM nextval('changes');
  IF wake THEN PERFORM pg_notify('${WAKE_CHANNEL}', ''); END IF;
  RETURN refused;
END $$;

-- A group commit in a few statements whatever its size, for batches of distinct executions
-- (the store merges an execution's consecutive batches under one claim; a group that still
-- holds two for one execution goes through commit_steps). The batches, of the form commit_steps
-- reads plus t (each record's time, when merged batches' times differ), are written set by
-- set: the fenced UPDATE of their execution rows, then their history, operations, callbacks,
-- invocations, ended executions' dispatches and applied signals; what is rare (a wake-up time
-- that pending signals may advance, signals for other executions, a release that makes work
-- for others) follows batch by batch, as in commit_steps.
CREATE FUNCTION commit_group(batches JSONB) RETURNS INTEGER[] LANGUAGE plpgsql AS $$
DECLARE
  k INTEGER; wake BOOLEAN := false; refused INTEGER[]; followed INTEGER[]; statuses TEXT[]; wakes BIGINT[];
BEGIN
  WITH given AS (
    SELECT v, (t.i - 1)::INTEGER AS i, coalesce(jsonb_array_length(v->'u'), 0) AS n, coalesce(v->'x', '{}') AS x
    FROM jsonb_array_elements(batches) WITH ORDINALITY AS t(v, i)
  ), a AS (
    UPDATE executions e SET
      updated_at = (g.v->>'at')::BIGINT,
      last_sequence = e.last_sequence + g.n,
      invocations = coalesce((g.x->>'invocations')::INTEGER, e.invocations),
      status = CASE WHEN g.x ? 'status' THEN g.x->>'status' ELSE e.status END,
      result = CASE WHEN g.x ? 'result' THEN g.x->>'result' ELSE e.result END,
      error = CASE WHEN g.x ? 'error' THEN g.x->>'error' ELSE e.error END,
      ended_at = CASE WHEN g.x ? 'endedAt' THEN (g.x->>'endedAt')::BIGINT ELSE e.ended_at END,
      next_wake_at = CASE WHEN g.x ? 'nextWakeAt' THEN (g.x->>'nextWakeAt')::BIGINT ELSE e.next_wake_at END,
      lease_owner = CASE WHEN g.v ? 'rel' THEN NULL ELSE e.lease_owner END,
      lease_expires_at = CASE WHEN g.v ? 'rel' THEN NULL ELSE e.lease_expires_at END,
      expired_leases = CASE WHEN g.v ? 'xl' THEN 0 ELSE e.expired_leases END
    FROM given g
    WHERE e.id = g.v->>'e' AND e.epoch = (g.v->>'p')::INTEGER
    RETURNING g.i, g.v, e.id, e.last_sequence - g.n AS seq, e.invocations AS inv, e.status, e.next_wake_at
  ), u AS (
    INSERT INTO updates (execution_id, sequence, at, invocation, record)
    SELECT a.id, a.seq + r.n, coalesce((a.v->'t'->>(r.n::INTEGER - 1))::BIGINT, (a.v->>'at')::BIGINT), a.inv, r.rec
    FROM a, jsonb_array_elements_text(a.v->'u') WITH ORDINALITY AS r(rec, n)
  ), o AS (
    INSERT INTO operations (execution_id, id, first_sequence, record)
    SELECT a.id, op->>'id', a.seq + (op->>'f')::INTEGER, a.v->'u'->>((op->>'l')::INTEGER - 1) FROM a, jsonb_array_elements(a.v->'o') AS op
    ON CONFLICT (execution_id, id) DO UPDATE SET record = excluded.record
  ), c AS (
    INSERT INTO callbacks (callback_id, execution_id, operation_id)
    SELECT cb->>0, a.id, cb->>1 FROM a, jsonb_array_elements(a.v->'cb') AS cb ON CONFLICT DO NOTHING
  ), iv AS (
    INSERT INTO invocations (execution_id, invocation, started_at, ended_at, request_id, outcome, warm)
    SELECT a.id, (a.v->'inv'->>'invocation')::INTEGER, (a.v->'inv'->>'startedAt')::BIGINT, (a.v->'inv'->>'endedAt')::BIGINT,
           a.v->'inv'->>'requestId', a.v->'inv'->>'outcome', (a.v->'inv'->>'warm')::BOOLEAN
    FROM a WHERE a.v ? 'inv'
    ON CONFLICT (execution_id, invocation) DO UPDATE SET
      ended_at = coalesce(excluded.ended_at, invocations.ended_at), request_id = coalesce(excluded.request_id, invocations.request_id),
      outcome = coalesce(excluded.outcome, invocations.outcome), warm = coalesce(excluded.warm, invocations.warm)
  ), d AS (
    -- An ended execution dispatches nothing more (endsExecution).
    DELETE FROM dispatches WHERE execution_id IN (SELECT a.id FROM a WHERE a.status <> 'RUNNING')
  ), applied AS (
    DELETE FROM signals WHERE sequence IN (SELECT jsonb_array_elements_text(a.v->'applied')::BIGINT FROM a)
  ), follow AS (
    SELECT a.i, a.status, a.next_wake_at FROM a WHERE coalesce(a.v->'x' ? 'nextWakeAt', false) OR a.v ? 'sig' OR a.v ? 'rel'
  )
  SELECT (SELECT coalesce(array_agg(g.i ORDER BY g.i), '{}') FROM given g WHERE g.i NOT IN (SELECT a.i FROM a)),
         array_agg(follow.i), array_agg(follow.status), array_agg(follow.next_wake_at)
  INTO refused, followed, statuses, wakes FROM follow;

  -- The batches that set a wake-up time, signal others or release: one by one.
  FOR k IN 1..coalesce(array_length(followed, 1), 0) LOOP
    wake := follow_batch(batches->followed[k], statuses[k], wakes[k]) OR wake;
  END LOOP;
  PERFORM nextval('changes');
  IF wake THEN PERFORM pg_notify('${WAKE_CHANNEL}', ''); END IF;
  RETURN refused;
END $$;
`;

// Version 3: commit_records, the commit of a sequential step (issue 19): a lone batch of
// records and nothing else (no execution changes, invocation row, callbacks, signals or
// release), its arguments typed arrays instead of a JSON document, which commit_steps parses
// and walks for ~60 us of server CPU per step more. Fenced as commit_steps is, by the UPDATE of
// the execution row, whose lock then keeps every other commit of the execution out until this
// transaction ends: an operation's row can be updated, or inserted when the update found none,
// without ON CONFLICT's speculative insertion. Answers false for a stale epoch (nothing written).
const VERSION_3 = `
CREATE FUNCTION commit_records(p_execution TEXT, p_epoch INTEGER, p_at BIGINT, p_records TEXT[], p_ids TEXT[], p_first INTEGER[], p_last INTEGER[], p_step_ended BOOLEAN)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  n INTEGER := cardinality(p_records); seq INTEGER; inv INTEGER;
BEGIN
  UPDATE executions SET updated_at = p_at, last_sequence = last_sequence + n, expired_leases = CASE WHEN p_step_ended THEN 0 ELSE expired_leases END
  WHERE id = p_execution AND epoch = p_epoch
  RETURNING last_sequence - n, invocations INTO seq, inv;
  IF NOT FOUND THEN RETURN false; END IF;
  INSERT INTO updates (execution_id, sequence, at, invocation, record)
    SELECT p_execution, seq + r.n, p_at, inv, r.rec FROM unnest(p_records) WITH ORDINALITY AS r(rec, n);
  -- p_ids: each operation once; p_first and p_last: the 1-based places in p_records of its first and latest record.
  FOR k IN 1..cardinality(p_ids) LOOP
    UPDATE operations SET record = p_records[p_last[k]] WHERE execution_id = p_execution AND id = p_ids[k];
    IF NOT FOUND THEN
      INSERT INTO operations (execution_id, id, first_sequence, record) VALUES (p_execution, p_ids[k], seq + p_first[k], p_records[p_last[k]]);
    END IF;
  END LOOP;
  PERFORM nextval('changes');
  RETURN true;
END $$;
`;

/** MIGRATIONS[n]: from version n to n + 1 (version 0: an empty schema). */
export const MIGRATIONS: readonly string[] = [VERSION_1, VERSION_2, VERSION_3];
