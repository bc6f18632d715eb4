// What is particular to PostgresStore (the contract suite in store.test.ts runs on it too):
// its schema's version check, the settings every connection runs with, group commit with
// fencing per batch, NOTIFY wake-ups, the change counter, and encryption at rest.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, encryptPayloads, LeaseLostError, PostgresStore, StoreFileError } from "../../../engine/index.js";
import { MIGRATIONS } from "../../../engine/stores/postgres-schema.js";
import { newWorkerId } from "../../../engine/worker-identity.js";
import type { StoredSignal } from "../../../engine/store.js";
import type { OperationRecord } from "../../../runtime/index.js";
import { retryPresets, StepSemantics, withDurableExecution } from "../../../runtime/index.js";
import { newPgSchema, newPgStore, pgUrl } from "./pg-test-store.js";

let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: pgUrl() });
  await admin.connect();
});
afterAll(() => admin?.end());

/** Polls until the condition holds (at most 20 s). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const step = (id: string, status: OperationRecord["Status"]): OperationRecord => ({ Id: id, Type: "STEP", SubType: "Step", Status: status, StartTimestamp: new Date(1_000) });

describe("PostgresStore", () => {
  it("creates its schema once when several processes' connections open a new store at once, and reopens it", async () => {
    const schema = newPgSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.connect(pgUrl(), { schema })));
    await stores[0]!.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 1 });
    expect((await stores[3]!.getExecution("e1"))?.executionId).toBe("e1");
    await Promise.all(stores.map((s) => s.close()));
    const reopened = await PostgresStore.connect(`${pgUrl()}?schema=${schema}`);
    expect((await reopened.listExecutions()).map((e) => e.executionId)).toEqual(["e1"]);
    await reopened.close();
    expect((await admin.query(`SELECT version FROM ${schema}.store_version`)).rows).toEqual([{ version: 3 }]);
  });

  it("refuses a store of a newer schema and a schema holding another program's tables, changing nothing", async () => {
    const newer = newPgSchema();
    await (await PostgresStore.connect(pgUrl(), { schema: newer })).close();
    await admin.query(`UPDATE ${newer}.store_version SET version = 99`);
    await expect(PostgresStore.connect(pgUrl(), { schema: newer })).rejects.toThrow(/written by a newer replayable \(store schema 99; this version reads up to 3\)/);
    expect((await admin.query(`SELECT version FROM ${newer}.store_version`)).rows).toEqual([{ version: 99 }]);

    const foreign = newPgSchema();
    await admin.query(`CREATE SCHEMA ${foreign}; CREATE TABLE ${foreign}.notes (body TEXT)`);
    const refusal = await PostgresStore.connect(pgUrl(), { schema: foreign }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreFileError);
    expect((refusal as Error).message).toContain(`the schema "${foreign}" holds tables of another program`);
    expect((await admin.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [foreign])).rows).toEqual([{ table_name: "notes" }]);

    await expect(PostgresStore.connect(pgUrl(), { schema: "Bad-Name" })).rejects.toThrow(/must be lower-case letters, digits and _/);
    await expect(PostgresStore.connect("postgres://me:pw@host:port/db")).rejects.toThrow("postgres://me:***@host:port/db is not a valid URL: give postgres://user:password@host:port/database");
  });

  it("migrates a version 1 store written by the previous code: its history kept, new commits continue it, old workers' commits still accepted", async () => {
    // Version 1 as the previous code made it (its migration, verbatim) and wrote it (commit_batches, its batch format).
    const schema = newPgSchema();
    const v1Batch = (epoch: number, ops: Array<{ id: string; rec: string; cb?: string }>, extra: Record<string, unknown> = {}) =>
      JSON.stringify([{ e: "old", p: epoch, at: 5, ops, x: {}, rel: false, xl: false, bo: false, ...extra }]);
    const rec = (r: OperationRecord) => JSON.stringify(r);
    const commitV1 = async (batches: string) => {
      await admin.query(`SET search_path = ${schema}`);
      try {
        return (await admin.query("SELECT commit_batches($1::jsonb) AS refused", [batches])).rows;
      } finally {
        await admin.query("RESET search_path");
      }
    };
    await admin.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
    try {
      await admin.query(MIGRATIONS[0]!);
      await admin.query("INSERT INTO executions (id, function_name, status, input, created_at, updated_at, next_wake_at, epoch, lease_owner, lease_expires_at) VALUES ('old', 'f', 'RUNNING', '{}', 1, 1, 1, 1, 'A', 999999)");
    } finally {
      await admin.query("RESET search_path");
    }
    expect(
      await commitV1(
        v1Batch(1, [{ id: "a", rec: rec(step("a", "STARTED")) }, { id: "a", rec: rec(step("a", "SUCCEEDED")) }, { id: "cb", rec: rec({ ...step("cb", "STARTED"), Type: "CALLBACK", CallbackDetails: { CallbackId: "cb-1" } }), cb: "cb-1" }], {
          x: { invocations: 1 },
          inv: { invocation: 1, startedAt: 5, endedAt: null, requestId: "r1", outcome: null, warm: false },
        }),
      ),
    ).toEqual([{ refused: [] }]);

    const store = await PostgresStore.connect(pgUrl(), { schema });
    expect((await admin.query(`SELECT version FROM ${schema}.store_version`)).rows).toEqual([{ version: 3 }]);
    const foreignKeys = await admin.query("SELECT table_name FROM information_schema.table_constraints WHERE table_schema = $1 AND constraint_type = 'FOREIGN KEY' ORDER BY 1", [schema]);
    expect(foreignKeys.rows.map((r: { table_name: string }) => r.table_name)).toEqual(["callbacks", "dispatches", "invocations", "signals"]);
    expect((await store.loadOperations("old")).map((r) => [r.Id, r.Status])).toEqual([["a", "SUCCEEDED"], ["cb", "STARTED"]]);
    expect((await store.loadUpdates("old")).map((u) => [u.sequence, u.record.Id, u.record.Status, u.invocation])).toEqual([[1, "a", "STARTED", 1], [2, "a", "SUCCEEDED", 1], [3, "cb", "STARTED", 1]]);
    expect(await store.findCallback("cb-1")).toEqual({ executionId: "old", operationId: "cb" });
    expect(await store.loadInvocations("old")).toEqual([{ invocation: 1, startedAt: 5, endedAt: undefined, requestId: "r1", outcome: undefined, warm: false }]);

    // The new code's commits continue the history; a stale epoch is still refused.
    await store.commit({ executionId: "old", epoch: 1, at: 6, operations: [step("b", "STARTED"), step("b", "SUCCEEDED")], invocation: { invocation: 1, startedAt: 5, endedAt: 6, outcome: "PENDING" } });
    await expect(store.commit({ executionId: "old", epoch: 0, at: 7, operations: [step("c", "STARTED")] })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.loadUpdates("old", 3)).map((u) => [u.sequence, u.record.Id, u.record.Status])).toEqual([[4, "b", "STARTED"], [5, "b", "SUCCEEDED"]]);
    expect((await store.loadInvocations("old"))[0]).toMatchObject({ endedAt: 6, outcome: "PENDING", requestId: "r1" });

    // A worker of the previous version still running during the upgrade commits through commit_batches.
    expect(await commitV1(v1Batch(0, [{ id: "d", rec: rec(step("d", "STARTED")) }]))).toEqual([{ refused: [0] }]);
    expect(await commitV1(v1Batch(1, [{ id: "d", rec: rec(step("d", "STARTED")) }]))).toEqual([{ refused: [] }]);
    expect((await store.loadOperations("old")).map((r) => [r.Id, r.Status])).toEqual([["a", "SUCCEEDED"], ["cb", "STARTED"], ["b", "SUCCEEDED"], ["d", "STARTED"]]);
    expect((await store.loadUpdates("old", 5)).map((u) => [u.sequence, u.record.Id])).toEqual([[6, "d"]]);
    await store.close();
  });

  it("reads pending signals after a sender holding the execution's row lock commits, and sees its signal", async () => {
    const schema = newPgSchema();
    const store = await PostgresStore.connect(pgUrl(), { schema });
    await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0 });
    const sender = new pg.Client({ connectionString: pgUrl() });
    await sender.connect();
    try {
      await sender.query(`BEGIN; SELECT 1 FROM ${schema}.executions WHERE id = 'e' FOR UPDATE`);
      await sender.query(`INSERT INTO ${schema}.signals (execution_id, operation_id, outcome, at) VALUES ('e', 'cb', '{"kind":"callback-success","result":"1"}', 5)`);
      let read: StoredSignal[] | undefined;
      const reading = store.pendingSignals("e").then((signals) => (read = signals));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(read).toBeUndefined(); // waits for the sender's lock
      await sender.query("COMMIT");
      await reading;
      expect(read!.map((s) => [s.operationId, s.at])).toEqual([["cb", 5]]);
    } finally {
      await sender.end();
      await store.close();
    }
  });

  it("commits with synchronous_commit on, whatever the server's default", async () => {
    await admin.query("ALTER ROLE postgres SET synchronous_commit = off");
    try {
      const store = await newPgStore();
      const settings = await (store as unknown as { pool: pg.Pool }).pool.query("SELECT current_setting('synchronous_commit') AS s");
      expect(settings.rows).toEqual([{ s: "on" }]);
      // Commits go through a connection of their own, outside the pool.
      await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
      const [lease] = await store.claimDue("A", 1, 100, 1);
      await store.commit({ executionId: "e", epoch: lease!.epoch, at: 2, operations: [step("s", "STARTED")] });
      const committer = (store as unknown as { committer: pg.Client }).committer;
      expect((await committer.query("SELECT current_setting('synchronous_commit') AS s")).rows).toEqual([{ s: "on" }]);
      await store.close();
    } finally {
      await admin.query("ALTER ROLE postgres RESET synchronous_commit");
    }
  });

  it("replaces its commit connection when the server ends it: the next commit goes through on a new one", async () => {
    const store = await newPgStore();
    await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [lease] = await store.claimDue("A", 1, 100, 1);
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 2, operations: [step("s", "STARTED")] });
    const committer = (store as unknown as { committer: pg.Client }).committer;
    const pid = (await committer.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    expect((await admin.query("SELECT pg_terminate_backend($1) AS ended", [pid])).rows).toEqual([{ ended: true }]);
    // A commit racing the connection's end may fail (nothing written); the next one must not.
    const raced = await store.commit({ executionId: "e", epoch: lease!.epoch, at: 3, operations: [step("t", "STARTED")] }).then(
      () => "committed",
      (error: unknown) => (error instanceof StoreFileError && /^Checkpoint not committed/.test(error.message) ? "refused" : error),
    );
    expect(["committed", "refused"]).toContain(raced);
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 4, operations: [step("u", "STARTED")] });
    expect((await store.loadOperations("e")).map((r) => r.Id)).toEqual(raced === "committed" ? ["s", "t", "u"] : ["s", "u"]);
    await store.close();
  });

  it("calls a connection lost mid-query (no SQLSTATE: a network cut, a killed backend) transient, so workers retry instead of stopping", async () => {
    // A real TCP proxy in front of the test server; `cut` drops the connection the client's next request comes on.
    const target = new URL(pgUrl());
    let cut = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => sockets.delete(socket));
      }
      client.on("data", (chunk) => {
        if (!cut) return void server.write(chunk);
        cut = false;
        client.destroy();
        server.destroy();
      });
      server.pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const url = new URL(pgUrl());
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const store = await PostgresStore.connect(url.toString(), { schema: newPgSchema() });
    try {
      await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
      const [lease] = await store.claimDue("A", 1, 100, 1);
      await store.commit({ executionId: "e", epoch: lease!.epoch, at: 2, operations: [step("s", "STARTED")] });
      cut = true;
      const lost = await store.commit({ executionId: "e", epoch: lease!.epoch, at: 3, operations: [step("t", "STARTED")] }).catch((error: unknown) => error);
      expect(lost).toBeInstanceOf(StoreFileError);
      expect(lost).toMatchObject({ transient: true, message: expect.stringMatching(/^Checkpoint not committed: Lost the connection to the PostgreSQL store .*retry/) });
      cut = true;
      const read = await store.getExecution("e").catch((error: unknown) => error);
      expect(read).toMatchObject({ transient: true, message: expect.stringContaining("Lost the connection to the PostgreSQL store") });
      // The next commit goes through on a new connection.
      await store.commit({ executionId: "e", epoch: lease!.epoch, at: 4, operations: [step("u", "STARTED")] });
      expect((await store.loadOperations("e")).map((r) => r.Id)).toEqual(["s", "u"]);
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("commits a lone batch of records (a sequential step) through commit_records: history, operations, fencing and the lease counter as commit_steps", async () => {
    const schema = newPgSchema();
    const store = await PostgresStore.connect(pgUrl(), { schema });
    await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [lease] = await store.claimDue("A", 1, 100, 1);
    await admin.query(`UPDATE ${schema}.executions SET expired_leases = 2`);
    const odd = '"quoted" \\ {braces, commas} NULL ünïcödé';
    const done = (id: string): OperationRecord => ({ ...step(id, "SUCCEEDED"), StepDetails: { Attempt: 1, Result: JSON.stringify(odd) } });
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 2, operations: [step("a", "STARTED")] });
    expect((await admin.query(`SELECT expired_leases FROM ${schema}.executions`)).rows).toEqual([{ expired_leases: 2 }]);
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 3, operations: [done("a"), step("b", "STARTED"), step("c", "STARTED"), done("c")] });
    // A finished step ends the run of expired leases (endsExpiredLeases), as commit_steps does.
    expect((await admin.query(`SELECT expired_leases, last_sequence FROM ${schema}.executions`)).rows).toEqual([{ expired_leases: 0, last_sequence: 5 }]);
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 4, operations: [done("b")] });
    await expect(store.commit({ executionId: "e", epoch: lease!.epoch - 1, at: 5, operations: [step("z", "STARTED")] })).rejects.toBeInstanceOf(LeaseLostError);

    expect((await store.loadUpdates("e")).map((u) => [u.sequence, u.at, u.record.Id, u.record.Status])).toEqual([
      [1, 2, "a", "STARTED"],
      [2, 3, "a", "SUCCEEDED"],
      [3, 3, "b", "STARTED"],
      [4, 3, "c", "STARTED"],
      [5, 3, "c", "SUCCEEDED"],
      [6, 4, "b", "SUCCEEDED"],
    ]);
    // One row per operation, its latest record, in the order each first appeared.
    const operations = await store.loadOperations("e");
    expect(operations.map((r) => [r.Id, r.Status])).toEqual([["a", "SUCCEEDED"], ["b", "SUCCEEDED"], ["c", "SUCCEEDED"]]);
    expect(operations.map((r) => JSON.parse(r.StepDetails!.Result!))).toEqual([odd, odd, odd]);
    const committer = (store as unknown as { committer: pg.Client }).committer;
    expect((await committer.query("SELECT name FROM pg_prepared_statements ORDER BY name")).rows).toEqual([{ name: "commit_records" }]);
    await store.close();
  });

  it("group commit: an invocation's opening batch waits a turn for the handler's first checkpoint, even after lone transactions", async () => {
    const schema = newPgSchema();
    const store = await PostgresStore.connect(pgUrl(), { schema });
    await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [lease] = await store.claimDue("A", 1, 100, 1);
    // Lone transactions: a sequential handler's steps, each sent at once.
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 2, operations: [step("a", "STARTED")] });
    await store.commit({ executionId: "e", epoch: lease!.epoch, at: 3, operations: [step("a", "SUCCEEDED")] });
    // The engine opens an invocation without awaiting it and the handler checkpoints at once (engine.ts).
    await Promise.all([
      store.commit({ executionId: "e", epoch: lease!.epoch, at: 4, operations: [], execution: { invocations: 2 }, invocation: { invocation: 2, startedAt: 4 } }),
      store.commit({ executionId: "e", epoch: lease!.epoch, at: 4, operations: [step("b", "STARTED")] }),
    ]);
    const transactions = await admin.query(`SELECT sequence, xmin::text AS tx FROM ${schema}.updates ORDER BY sequence`);
    const [first, second, third] = transactions.rows.map((r: { tx: string }) => r.tx);
    expect(first).not.toBe(second);
    const opening = (await admin.query(`SELECT xmin::text AS tx FROM ${schema}.invocations WHERE invocation = 2`)).rows[0].tx;
    expect(third).toBe(opening);
    await store.close();
  });

  it("group commit: batches of several executions in one transaction, a stale epoch refused alone", async () => {
    const store = await newPgStore();
    for (const id of ["a", "b", "c"]) await store.createExecution({ executionId: id, functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const leases = await store.claimDue("A", 1, 60_000, 10);
    expect(leases.map((l) => l.executionId).sort()).toEqual(["a", "b", "c"]);
    const epochOf = (id: string) => leases.find((l) => l.executionId === id)!.epoch;
    // The same turn of the event loop: one transaction for all three, b's with an old epoch.
    const results = await Promise.allSettled([
      store.commit({ executionId: "a", epoch: epochOf("a"), at: 2, operations: [step("s#0", "STARTED")] }),
      store.commit({ executionId: "b", epoch: epochOf("b") - 1, at: 2, operations: [step("s#0", "STARTED")] }),
      store.commit({ executionId: "c", epoch: epochOf("c"), at: 2, operations: [step("s#0", "STARTED")], release: true, execution: { nextWakeAt: 10 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    expect((await store.loadOperations("a")).map((r) => r.Status)).toEqual(["STARTED"]);
    expect(await store.loadOperations("b")).toEqual([]);
    expect(await store.getExecution("c")).toMatchObject({ nextWakeAt: 10, expiredLeases: 0 });
    // Released, so claimable again at its wake-up time.
    expect((await store.claimDue("B", 10, 60_000, 10)).map((l) => l.executionId)).toEqual(["c"]);
    await store.close();
  });

  it("group commit: an execution's batches in one transaction are written as one by one (history times, order, invocation row), a stale claim's refused alone", async () => {
    const store = await newPgStore();
    // Five executions: a group large enough to be written set by set (commit_group).
    for (const id of ["a", "b", "c", "d", "e"]) await store.createExecution({ executionId: id, functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const leases = await store.claimDue("A", 1, 60_000, 10);
    const epochOf = (id: string) => leases.find((l) => l.executionId === id)!.epoch;
    const results = await Promise.allSettled([
      store.commit({ executionId: "a", epoch: epochOf("a"), at: 2, operations: [step("s", "STARTED")], execution: { invocations: 1 }, invocation: { invocation: 1, startedAt: 2, requestId: "r1" } }),
      store.commit({ executionId: "a", epoch: epochOf("a"), at: 3, operations: [step("s", "SUCCEEDED"), step("t", "STARTED")], invocation: { invocation: 1, startedAt: 3, endedAt: 3, outcome: "PENDING" } }),
      store.commit({ executionId: "b", epoch: epochOf("b") - 1, at: 2, operations: [step("s", "STARTED")] }),
      ...["c", "d", "e"].map((id) => store.commit({ executionId: id, epoch: epochOf(id), at: 2, operations: [step("s", "STARTED")], release: true, execution: { nextWakeAt: 9 } })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    // Released, due at 9: another worker claims them then (a, b are still A's).
    const byB = await store.claimDue("B", 9, 60_000, 10);
    expect(byB.map((l) => l.executionId).sort()).toEqual(["c", "d", "e"]);
    expect((await store.loadUpdates("a")).map((u) => [u.sequence, u.at, u.invocation, u.record.Id, u.record.Status])).toEqual([
      [1, 2, 1, "s", "STARTED"],
      [2, 3, 1, "s", "SUCCEEDED"],
      [3, 3, 1, "t", "STARTED"],
    ]);
    expect((await store.loadOperations("a")).map((r) => [r.Id, r.Status])).toEqual([["s", "SUCCEEDED"], ["t", "STARTED"]]);
    expect(await store.loadInvocations("a")).toEqual([{ invocation: 1, startedAt: 2, endedAt: 3, requestId: "r1", outcome: "PENDING", warm: undefined }]);
    expect(await store.getExecution("a")).toMatchObject({ invocations: 1, updatedAt: 3 });
    expect(await store.loadUpdates("b")).toEqual([]);

    // A wake-up time set, then the pending signal applied, in one transaction: as one by one,
    // the signal advanced the time before it was applied.
    await store.addSignal({ executionId: "c", operationId: "cb", outcome: { kind: "callback-succeeded", result: "1" }, at: 20 });
    const c = byB.find((l) => l.executionId === "c");
    const [signal] = await store.pendingSignals("c");
    await Promise.all([
      store.commit({ executionId: "c", epoch: c!.epoch, at: 21, operations: [], execution: { nextWakeAt: 100 } }),
      store.commit({ executionId: "c", epoch: c!.epoch, at: 21, operations: [], appliedSignals: [signal!.sequence] }),
      ...["d", "e"].map((id) => store.commit({ executionId: id, epoch: 0, at: 21, operations: [] }).catch(() => undefined)),
      store.commit({ executionId: "b", epoch: epochOf("b"), at: 21, operations: [] }),
    ]);
    expect(await store.pendingSignals("c")).toEqual([]);
    expect((await store.getExecution("c"))!.nextWakeAt).toBe(20);

    // Two claims of one execution in one transaction: the old one's batch refused, the new one's written.
    const taken = (await store.claim("a", "B", 4, 60_000, "A"))!;
    const again = await Promise.allSettled([
      store.commit({ executionId: "a", epoch: epochOf("a"), at: 5, operations: [step("t", "SUCCEEDED")] }),
      store.commit({ executionId: "a", epoch: taken.epoch, at: 5, operations: [step("u", "STARTED")] }),
    ]);
    expect(again.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect((again[0] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    expect((await store.loadUpdates("a", 3)).map((u) => [u.sequence, u.record.Id, u.record.Status])).toEqual([[4, "u", "STARTED"]]);
    await store.close();
  });

  it("an at-most-once step's body waits until its START is committed; an at-least-once step's START goes with its end", async () => {
    const schema = newPgSchema();
    const store = await PostgresStore.connect(pgUrl(), { schema });
    const locker = new pg.Client({ connectionString: pgUrl() });
    await locker.connect();
    // What another connection sees of a step while its body runs.
    const seen = async (name: string) => (await admin.query(`SELECT record FROM ${schema}.operations WHERE record LIKE $1`, [`%"Name":"${name}"%`])).rows.map((r: { record: string }) => JSON.parse(r.record).Status);
    let lockedAt = 0;
    const flow = withDurableExecution(async (_event, context) => {
      const least = await context.step("least", async () => seen("least"));
      // Outside any step (one invocation, never replayed here): history writes block for 300 ms.
      await locker.query(`BEGIN; LOCK TABLE ${schema}.updates IN EXCLUSIVE MODE`);
      lockedAt = Date.now();
      setTimeout(() => void locker.query("COMMIT"), 300);
      const once = await context.step("once", async () => ({ waited: Date.now() - lockedAt, seen: await seen("once") }), { semantics: StepSemantics.AtMostOncePerRetry });
      return { least, once };
    });
    const engine = createEngine({ store, functions: { flow } });
    const execution = await engine.start("flow");
    const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
    await engine.close();
    await store.close();
    await locker.end();
    expect(done.status).toBe("SUCCEEDED");
    const result = JSON.parse(done.result!) as { least: string[]; once: { waited: number; seen: string[] } };
    expect(result.least).toEqual([]);
    expect(result.once.seen).toEqual(["STARTED"]);
    expect(result.once.waited).toBeGreaterThanOrEqual(250);
  });

  it("doubles the lease of a claim that takes over an expired, unreleased one", async () => {
    const store = await newPgStore();
    await store.createExecution({ executionId: "e", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    expect((await store.claimDue("A", 0, 100, 1))[0]!.expiresAt).toBe(100);
    expect((await store.claimDue("B", 100, 100, 1))[0]!.expiresAt).toBe(300);
    expect((await store.claim("e", "C", 300, 100))!.expiresAt).toBe(700);
    expect((await store.getExecution("e"))!.expiredLeases).toBe(2);
    await store.close();
  });

  it("wakes a subscribed worker by NOTIFY when another connection adds work; the change counter moves on every write", async () => {
    const schema = newPgSchema();
    const worker = await PostgresStore.connect(pgUrl(), { schema });
    const other = await PostgresStore.connect(pgUrl(), { schema });
    let wakes = 0;
    const unsubscribe = worker.subscribeWakeUps(() => (wakes += 1));
    const before = worker.dataVersion();
    let created = 0;
    // The LISTEN connection may still be starting: each creation notifies again.
    await until(async () => {
      await other.createExecution({ executionId: `e${created}`, functionName: "f", input: "{}", createdAt: created, nextWakeAt: created++ });
      return wakes > 0;
    });
    const counter = async () => Number((await admin.query(`SELECT last_value FROM ${schema}.changes`)).rows[0].last_value);
    const written = await counter();
    expect(written).toBeGreaterThanOrEqual(created);
    await until(async () => worker.dataVersion() === written); // polled every 200 ms
    expect(written).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(worker.dataVersion()).toBe(written); // nothing written meanwhile, nothing moved
    unsubscribe();
    await worker.close();
    await other.close();
  });

  it("takes over the work of a worker on another host only when its lease expires (no pid liveness across hosts)", async () => {
    const flow = withDurableExecution(async (_event: unknown, context) => context.step("only", async () => "done"));
    const store = await newPgStore();
    const starter = createEngine({ store, functions: { flow }, worker: false });
    const execution = await starter.start("flow", {});
    // A worker on another host claimed it and vanished: its pid (a dead one here) says nothing on this host.
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.on("exit", resolve));
    const claimedAt = Date.now();
    const [lease] = await store.claimDue(`another-host/${gone.pid}/abcd1234/${newWorkerId().split("/")[3]}`, claimedAt, 1_500, 1);
    expect(lease?.executionId).toBe(execution.executionId);
    const worker = createEngine({ store, functions: { flow }, pollMs: 50 });
    const done = await worker.waitForExecution(execution.executionId, { timeoutMs: 20_000 });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.updatedAt - claimedAt).toBeGreaterThanOrEqual(1_500);
    expect(done.epoch).toBe(lease!.epoch + 1);
    await worker.close();
    await starter.close();
    await store.close();
  });

  it("encrypts payloads at rest: the database holds ciphertext only, the engine reads plaintext", async () => {
    const secret = "ssn-078-05-1120";
    const flow = withDurableExecution(async (event: { card: string }, context) => {
      const kept = await context.step("keep", async () => `${secret}/${event.card}`);
      await context.step("leak", async () => {
        throw new Error(`upstream said ${secret}`);
      }, { retryStrategy: retryPresets.noRetry }).catch(() => undefined);
      return kept;
    });
    const schema = newPgSchema();
    const store = encryptPayloads(await PostgresStore.connect(pgUrl(), { schema }), { key: { id: "k1", key: randomBytes(32) } });
    const engine = createEngine({ store, functions: { flow }, pollMs: 20 });
    const execution = await engine.start("flow", { card: secret });
    const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 20_000 });
    expect(done.result).toBe(JSON.stringify(`${secret}/${secret}`));
    await engine.close();
    await store.close();
    const raw = await admin.query(
      `SELECT string_agg(t, '') AS all FROM (SELECT input || coalesce(result, '') || coalesce(error, '') AS t FROM ${schema}.executions UNION ALL SELECT record FROM ${schema}.updates) rows`,
    );
    expect(raw.rows[0].all).not.toContain(secret);
    expect(raw.rows[0].all).toContain("rpl:aes256gcm:k1:");
  });
});
