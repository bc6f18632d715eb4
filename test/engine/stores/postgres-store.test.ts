// What is particular to PostgresStore (the contract suite in store.test.ts runs on it too):
// its schema's version check, the settings every connection runs with, group commit with
// fencing per batch, NOTIFY wake-ups, the change counter, and encryption at rest.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, encryptPayloads, LeaseLostError, PostgresStore, StoreFileError } from "../../../engine/index.js";
import { newWorkerId } from "../../../engine/worker-identity.js";
import type { OperationRecord } from "../../../runtime/index.js";
import { retryPresets, withDurableExecution } from "../../../runtime/index.js";
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
    expect((await admin.query(`SELECT version FROM ${schema}.store_version`)).rows).toEqual([{ version: 1 }]);
  });

  it("refuses a store of a newer schema and a schema holding another program's tables, changing nothing", async () => {
    const newer = newPgSchema();
    await (await PostgresStore.connect(pgUrl(), { schema: newer })).close();
    await admin.query(`UPDATE ${newer}.store_version SET version = 99`);
    await expect(PostgresStore.connect(pgUrl(), { schema: newer })).rejects.toThrow(/written by a newer replayable \(store schema 99; this version reads up to 1\)/);
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

  it("commits with synchronous_commit on, whatever the server's default", async () => {
    await admin.query("ALTER ROLE postgres SET synchronous_commit = off");
    try {
      const store = await newPgStore();
      const settings = await (store as unknown as { pool: pg.Pool }).pool.query("SELECT current_setting('synchronous_commit') AS s");
      expect(settings.rows).toEqual([{ s: "on" }]);
      await store.close();
    } finally {
      await admin.query("ALTER ROLE postgres RESET synchronous_commit");
    }
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
