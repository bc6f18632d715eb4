import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, LeaseLostError, MemoryStore, SqliteStore, StoreFileError, type EngineStore } from "../../engine/index.js";
import type { OperationRecord } from "../../runtime/index.js";
import { newPgStore } from "./stores/pg-test-store.js";
import { startWorker } from "./worker-process.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `store-${++files}.sqlite`);

const step = (id: string, status: OperationRecord["Status"], result?: string): OperationRecord => ({
  Id: id,
  Type: "STEP",
  SubType: "Step",
  Status: status,
  StartTimestamp: new Date(1_000),
  StepDetails: result === undefined ? undefined : { Attempt: 1, Result: result },
});

describe.each([
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(newPath())],
  ["PostgresStore", newPgStore],
] as Array<[string, () => EngineStore | Promise<EngineStore>]>)("%s", (_name, makeStore) => {
  it("loads one operation's latest state alone, undefined for one it does not have", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "one", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [lease] = await store.claimDue("A", 10, 100, 10);
    await store.commit({ executionId: "one", epoch: lease!.epoch, at: 20, operations: [step("a", "STARTED"), step("b", "STARTED")] });
    await store.commit({ executionId: "one", epoch: lease!.epoch, at: 30, operations: [step("a", "SUCCEEDED", '"done"')] });
    expect(await store.loadOperation("one", "a")).toEqual((await store.loadOperations("one")).find((r) => r.Id === "a"));
    expect(await store.loadOperation("one", "a")).toMatchObject({ Status: "SUCCEEDED", StepDetails: { Result: '"done"' } });
    expect(await store.loadOperation("one", "b")).toMatchObject({ Status: "STARTED" });
    expect(await store.loadOperation("one", "c")).toBeUndefined();
    expect(await store.loadOperation("other", "a")).toBeUndefined();
    await store.close();
  });

  it("keeps each execution's history apart when one group commit holds several, a refused batch among them", async () => {
    const store = await makeStore();
    for (const id of ["x", "y", "z"]) await store.createExecution({ executionId: id, functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const leases = Object.fromEntries((await store.claimDue("A", 1, 100_000, 10)).map((l) => [l.executionId, l]));
    await store.commit({ executionId: "x", epoch: leases.x!.epoch, at: 2, operations: [step("first", "STARTED")] });
    // Same turn: one transaction on SqliteStore, its rows interleaved store-wide; z's epoch is stale.
    for (let round = 0; round < 30; round++) {
      const results = await Promise.allSettled(
        ["x", "y", "z"].map((id) =>
          store.commit({ executionId: id, epoch: leases[id]!.epoch + (id === "z" ? 1 : 0), at: 10 + round, operations: [step(`s${round}`, "STARTED"), step(`s${round}`, "SUCCEEDED", `"${id}${round}"`)] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    }
    const updates = await store.loadUpdates("x");
    expect(updates.map((u) => u.sequence)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
    expect(updates.at(-1)).toMatchObject({ at: 39, record: { Id: "s29", Status: "SUCCEEDED", StepDetails: { Result: '"x29"' } } });
    expect((await store.loadUpdates("y", 57)).map((u) => [u.sequence, u.record.Id, u.record.Status, u.record.StepDetails?.Result])).toEqual([
      [58, "s28", "SUCCEEDED", '"y28"'],
      [59, "s29", "STARTED", undefined],
      [60, "s29", "SUCCEEDED", '"y29"'],
    ]);
    expect(await store.loadUpdates("y", 60)).toEqual([]);
    expect(await store.loadUpdates("z")).toEqual([]);
    expect(await store.loadOperations("z")).toEqual([]);
    expect((await store.loadOperations("y")).map((r) => r.StepDetails?.Result)).toEqual(Array.from({ length: 30 }, (_, i) => `"y${i}"`));
    // An operation written first is found behind the 60 rows written after it.
    expect(await store.loadOperation("x", "first")).toMatchObject({ Status: "STARTED" });
    expect(await store.loadOperation("y", "first")).toBeUndefined();
    expect((await store.getExecution("y"))?.updatedAt).toBe(39);
    await store.close();
  });

  it("fences commits: a superseded claim cannot commit, the new holder can", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [first] = await store.claimDue("A", 10, 100, 10);
    expect(first).toMatchObject({ executionId: "e1", owner: "A", epoch: 1 });
    expect(await store.claimDue("B", 50, 100, 10)).toEqual([]); // A's lease still holds
    await store.commit({ executionId: "e1", epoch: 1, at: 60, operations: [step("s#0", "STARTED")] });
    // A commit of operations alone moves the execution's updatedAt too (the CLI's follow mode watches it).
    expect((await store.getExecution("e1"))?.updatedAt).toBe(60);
    expect((await store.listExecutions()).map((e) => e.updatedAt)).toEqual([60]);
    const second = await store.claim("e1", "B", 200, 100); // A's lease expired at 110
    expect(second?.epoch).toBe(2);
    await expect(store.commit({ executionId: "e1", epoch: 1, at: 210, operations: [step("s#0", "SUCCEEDED", '"A"')] })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.renew(first!, 210, 100)).toBe(false);
    await store.commit({ executionId: "e1", epoch: 2, at: 220, operations: [step("s#0", "SUCCEEDED", '"B"')] });
    const operations = await store.loadOperations("e1");
    expect(operations.map((r) => [r.Id, r.Status, r.StepDetails?.Result])).toEqual([["s#0", "SUCCEEDED", '"B"']]);
    expect(operations[0]!.StartTimestamp).toEqual(new Date(1_000));
    expect((await store.loadUpdates("e1")).map((u) => [u.sequence, u.at, u.record.Status])).toEqual([
      [1, 60, "STARTED"],
      [2, 220, "SUCCEEDED"],
    ]);
    await store.close();
  });

  it("keeps a back-off release due at its own time though a signal is pending; a plain release is due at the signal", async () => {
    const store = await makeStore();
    for (const id of ["backs-off", "plain"]) {
      await store.createExecution({ executionId: id, functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
      const lease = await store.claim(id, "A", 10, 100);
      await store.addSignal({ executionId: id, operationId: "cb#0", outcome: { kind: "callback-succeeded", result: "1" }, at: 20 });
      await store.commit({ executionId: id, epoch: lease!.epoch, at: 30, operations: [], release: true, backOff: id === "backs-off", execution: { nextWakeAt: 1_030 } });
    }
    expect((await store.getExecution("backs-off"))?.nextWakeAt).toBe(1_030);
    expect((await store.getExecution("plain"))?.nextWakeAt).toBe(20);
    expect(await store.pendingSignals("backs-off")).toHaveLength(1);
    await store.close();
  });

  it("keeps a takeover's longer lease across a release until a step finishes", async () => {
    // Before: a release reset the count of expired leases, so the claim after an interrupted
    // at-most-once attempt's retry delay had the base lease again (a livelock with a blocking step).
    const store = await makeStore();
    await store.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [a] = await store.claimDue("A", 0, 100, 1);
    const b = await store.claim("e1", "B", 150, 100); // A's lease expired unreleased
    expect(b!.expiresAt - 150).toBe(200);
    await store.commit({ executionId: "e1", epoch: b!.epoch, at: 160, operations: [step("s#0", "PENDING")], release: true, execution: { nextWakeAt: 170 } });
    const [again] = await store.claimDue("A", 180, 100, 1);
    expect([again!.expiresAt - 180, (await store.getExecution("e1"))?.expiredLeases]).toEqual([200, 1]);
    await store.commit({ executionId: "e1", epoch: again!.epoch, at: 190, operations: [step("s#0", "SUCCEEDED", '"x"')], release: true, execution: { nextWakeAt: 195 } });
    const [after] = await store.claimDue("B", 200, 100, 1);
    expect([after!.expiresAt - 200, (await store.getExecution("e1"))?.expiredLeases, a!.epoch]).toEqual([100, 0, 1]);
    await store.close();
  });

  it("lets a claim take over a live lease only from the named (dead) owner", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [held] = await store.claimDue("host/1/a", 0, 10_000, 1);
    expect(await store.heldDue(5)).toEqual([{ executionId: "e1", owner: "host/1/a", functionName: "f" }]);
    expect(await store.claim("e1", "host/2/b", 5, 10_000, "host/9/z")).toBeUndefined();
    const taken = await store.claim("e1", "host/2/b", 5, 10_000, "host/1/a");
    expect(taken?.epoch).toBe(held!.epoch + 1);
    await expect(store.commit({ executionId: "e1", epoch: held!.epoch, at: 6, operations: [step("s#0", "STARTED")] })).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.heldDue(5)).toEqual([{ executionId: "e1", owner: "host/2/b", functionName: "f" }]);
    await store.close();
  });

  it("claims only executions of the functions named, and reads history after a sequence", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "p", functionName: "pay", input: "{}", createdAt: 0, nextWakeAt: 0 });
    await store.createExecution({ executionId: "s", functionName: "ship", input: "{}", createdAt: 0, nextWakeAt: 0 });
    expect((await store.claimDue("A", 1, 1000, 10, ["ship", "other"])).map((l) => l.executionId)).toEqual(["s"]);
    expect(await store.claimDue("A", 1, 1000, 10, [])).toEqual([]);
    const [pay] = await store.claimDue("A", 1, 1000, 10);
    expect(pay!.executionId).toBe("p");
    expect(await store.heldDue(2)).toEqual(
      expect.arrayContaining([
        { executionId: "p", owner: "A", functionName: "pay" },
        { executionId: "s", owner: "A", functionName: "ship" },
      ]),
    );
    await store.commit({ executionId: "p", epoch: pay!.epoch, at: 3, operations: [step("a#0", "STARTED"), step("a#0", "SUCCEEDED", "1"), step("b#0", "STARTED")] });
    expect((await store.loadUpdates("p", 1)).map((u) => [u.sequence, u.record.Id, u.record.Status])).toEqual([
      [2, "a#0", "SUCCEEDED"],
      [3, "b#0", "STARTED"],
    ]);
    // Two states of one operation in a batch (a step's START and SUCCEED): its latest state, in first-write order.
    expect((await store.loadOperations("p")).map((r) => [r.Id, r.Status])).toEqual([
      ["a#0", "SUCCEEDED"],
      ["b#0", "STARTED"],
    ]);
    await store.close();
  });

  it("keeps a signal that arrives while the execution runs: releasing does not lose its wake-up", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [lease] = await store.claimDue("A", 0, 1000, 1);
    await store.addSignal({ executionId: "e1", operationId: "cb#0", outcome: { kind: "callback-succeeded", result: "1" }, at: 5 });
    await store.commit({ executionId: "e1", epoch: lease!.epoch, at: 6, operations: [], release: true, execution: { nextWakeAt: undefined } });
    expect((await store.getExecution("e1"))?.nextWakeAt).toBe(5);
    expect(await store.nextWakeAt()).toBe(5);
    const [again] = await store.claimDue("A", 10, 1000, 1);
    const signals = await store.pendingSignals("e1");
    expect(signals.map((s) => s.outcome)).toEqual([{ kind: "callback-succeeded", result: "1" }]);
    await store.commit({ executionId: "e1", epoch: again!.epoch, at: 11, operations: [], appliedSignals: signals.map((s) => s.sequence), release: true, execution: { nextWakeAt: undefined } });
    expect(await store.pendingSignals("e1")).toEqual([]);
    expect((await store.getExecution("e1"))?.nextWakeAt).toBeUndefined();
    await store.close();
  });

  it("deletes an execution's dispatch claims when it ends, and claims none for an ended or unknown execution", async () => {
    // Before: finished dispatch rows stayed in the store for ever (a "done" claim for 100 years each).
    const store = await makeStore();
    await store.createExecution({ executionId: "p", functionName: "f", input: "{}", createdAt: 1, nextWakeAt: 1 });
    const [lease] = await store.claimDue("A", 10, 1000, 1);
    expect(await store.claimDispatch("p", "add#0", "A", 20, 1000)).toEqual({ claimed: true, expiresAt: 1020 });
    expect(await store.claimDispatch("p", "add#0", "done", 30, 10 ** 12, "A")).toEqual({ claimed: true, expiresAt: 30 + 10 ** 12 });
    await store.commit({ executionId: "p", epoch: lease!.epoch, at: 40, operations: [], release: true, execution: { status: "SUCCEEDED", result: "1", endedAt: 40, nextWakeAt: undefined } });
    if (store instanceof SqliteStore) {
      const db = new Database(store.path, { readonly: true });
      expect(db.prepare("SELECT count(*) AS n FROM dispatches").get()).toEqual({ n: 0 });
      db.close();
    }
    const ended = { claimed: false, owner: "(execution ended)", expiresAt: 50 };
    expect(await store.claimDispatch("p", "add#0", "B", 50, 1000)).toEqual(ended);
    expect(await store.claimDispatch("nobody", "add#0", "B", 50, 1000)).toEqual(ended);
    await store.close();
  });

  it("claims an invoke's dispatch for one owner until it expires; the owner renews it, a known-dead owner is taken over", async () => {
    const store = await makeStore();
    await store.createExecution({ executionId: "p", functionName: "f", input: "{}", createdAt: 1, nextWakeAt: 1 });
    expect(await store.claimDispatch("p", "add#0", "A", 100, 1000)).toEqual({ claimed: true, expiresAt: 1100 });
    expect(await store.claimDispatch("p", "add#0", "B", 200, 1000)).toEqual({ claimed: false, owner: "A", expiresAt: 1100 });
    expect(await store.claimDispatch("p", "add#0", "A", 500, 1000)).toEqual({ claimed: true, expiresAt: 1500 }); // renewal
    expect(await store.claimDispatch("p", "add#0", "B", 600, 1000, "A")).toEqual({ claimed: true, expiresAt: 1600 }); // A is dead
    expect(await store.claimDispatch("p", "add#0", "A", 700, 1000)).toEqual({ claimed: false, owner: "B", expiresAt: 1600 });
    expect(await store.claimDispatch("p", "add#0", "C", 1600, 1000)).toEqual({ claimed: true, expiresAt: 2600 }); // expired
    await store.close();
  });

  it("indexes callback ids and lists executions newest first with filters", async () => {
    const store = await makeStore();
    for (const [id, at] of [["a", 1], ["b", 3], ["c", 2]] as const) {
      await store.createExecution({ executionId: id, functionName: id === "c" ? "g" : "f", input: "{}", createdAt: at, nextWakeAt: at });
    }
    const [lease] = await store.claimDue("A", 100, 1000, 1);
    expect(lease!.executionId).toBe("a"); // earliest wake-up first
    const callback: OperationRecord = { Id: "cb#0", Type: "CALLBACK", SubType: "Callback", Status: "STARTED", StartTimestamp: new Date(0), CallbackDetails: { CallbackId: "cbid-1" } };
    await store.commit({ executionId: "a", epoch: lease!.epoch, at: 100, operations: [callback], execution: { status: "SUCCEEDED", result: "7", endedAt: 100 } });
    expect(await store.findCallback("cbid-1")).toEqual({ executionId: "a", operationId: "cb#0" });
    expect(await store.findCallback("nope")).toBeUndefined();
    expect((await store.listExecutions()).map((e) => e.executionId)).toEqual(["b", "c", "a"]);
    expect((await store.listExecutions({ functionName: "f", limit: 1 })).map((e) => e.executionId)).toEqual(["b"]);
    expect((await store.listExecutions({ status: "SUCCEEDED" }))[0]).toMatchObject({ executionId: "a", result: "7", endedAt: 100 });
    await store.close();
  });
});

/** What opening a store file and reading it throws (undefined when it reads fine). */
async function errorOfReading(path: string): Promise<unknown> {
  try {
    const store = SqliteStore.open(path);
    await store.listExecutions();
    await store.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A store file with 50 executions of about half a kilobyte each, closed. */
async function filledStore(): Promise<string> {
  const path = newPath();
  const store = SqliteStore.open(path);
  for (let i = 0; i < 50; i++) await store.createExecution({ executionId: `e${i}`, functionName: "f", input: JSON.stringify({ pad: "x".repeat(500) }), createdAt: i });
  await store.close();
  return path;
}

describe("SqliteStore files", () => {
  it("runs every connection with WAL and synchronous=FULL", async () => {
    const path = newPath();
    const store = SqliteStore.open(path);
    expect(store.connectionSettings()).toEqual({ journalMode: "wal", synchronous: 2 });
    await store.close();
    const reopened = SqliteStore.open(path);
    expect(reopened.connectionSettings()).toEqual({ journalMode: "wal", synchronous: 2 });
    await reopened.close();
  });

  it("reuses its WAL file after a checkpoint instead of growing it: later commits overwrite, which fsyncs faster than extending the file", async () => {
    const path = newPath();
    const store = SqliteStore.open(path);
    await store.createExecution({ executionId: "e1", functionName: "f", input: "{}", createdAt: 0, nextWakeAt: 0 });
    const [claim] = await store.claimDue("A", 0, 60_000, 1);
    const result = JSON.stringify("r".repeat(2_000));
    // ~2,500 WAL pages: SQLite's default checkpoint (1,000 pages) runs twice on the way, so
    // the WAL restarts from its start and stays near 4 MiB; a 16 MiB limit would still be growing.
    for (let i = 0; i < 1_200; i++) {
      await store.commit({ executionId: "e1", epoch: claim!.epoch, at: i, operations: [step(`s#${i}`, "STARTED"), step(`s#${i}`, "SUCCEEDED", result)] });
    }
    const walPages = statSync(`${path}-wal`).size / 4096;
    expect(walPages).toBeGreaterThan(900);
    expect(walPages).toBeLessThan(1_300);
    await store.close();
  });

  it("refuses files it must not write to, with the reason, and leaves them unchanged", async () => {
    const text = newPath();
    writeFileSync(text, "hello, I am a text file that is long enough\n");
    expect(() => SqliteStore.open(text)).toThrow(/not an SQLite database/);

    const foreign = newPath();
    const db = new Database(foreign);
    db.exec("CREATE TABLE notes (body TEXT)");
    db.close();
    const foreignBytes = readFileSync(foreign);
    expect(foreignBytes.subarray(18, 20)).toEqual(Buffer.from([1, 1])); // rollback journal, as the other program left it
    expect(() => SqliteStore.open(foreign)).toThrow(/made by another program/);
    // Not one byte written (journal_mode = WAL would have set header bytes 18-19 to 2), no WAL beside it.
    expect(readFileSync(foreign).equals(foreignBytes)).toBe(true);
    expect(existsSync(`${foreign}-wal`)).toBe(false);

    const newer = newPath();
    const store = SqliteStore.open(newer);
    await store.createExecution({ executionId: "kept", functionName: "f", input: "{}", createdAt: 1 });
    await store.close();
    const raw = new Database(newer);
    raw.pragma("user_version = 99");
    raw.close();
    const newerBytes = readFileSync(newer);
    expect(() => SqliteStore.open(newer)).toThrow(/newer replayable \(store schema 99; this version reads up to 3\)/);
    expect(readFileSync(newer).equals(newerBytes)).toBe(true);
    const check = new Database(newer, { readonly: true });
    expect(check.prepare("SELECT id FROM executions").all()).toEqual([{ id: "kept" }]);
    check.close();
  });

  it("six processes creating the same new store files at once all open them (the emptiness check is inside the schema transaction)", async () => {
    const paths = Array.from({ length: 12 }, () => newPath());
    const startAt = Date.now() + 4000; // after every process has loaded
    const workers = Array.from({ length: 6 }, () => startWorker("open-stores.ts", [String(startAt), ...paths]));
    await Promise.all(workers.map((w) => w.exited));
    const lines = workers.flatMap((w) => w.output().trim().split("\n"));
    expect(lines.filter((line) => !line.startsWith("ok "))).toEqual([]);
    expect(lines).toHaveLength(6 * paths.length);
  }, 30_000);

  it("refuses a directory, or a path under a file, as a StoreFileError naming the path and the fix", () => {
    const folder = join(dir, `folder-${++files}`);
    mkdirSync(folder);
    const error = (() => {
      try {
        SqliteStore.open(folder);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StoreFileError);
    expect((error as Error).message).toBe(
      `${folder} is a directory, not a replayable store: give the database file itself, e.g. ${join(folder, "db.sqlite")} (the default store is .replayable/db.sqlite).`,
    );
    expect(readdirSync(folder)).toEqual([]); // nothing created inside it

    const plain = join(dir, `plain-${++files}.txt`);
    writeFileSync(plain, "not a folder");
    expect(() => SqliteStore.open(join(plain, "db.sqlite"))).toThrow(StoreFileError);
    expect(() => SqliteStore.open(join(plain, "db.sqlite"))).toThrow(`Cannot use the store ${join(plain, "db.sqlite")} (`);
  });

  it("refuses a corrupt file with a clear error instead of crashing", async () => {
    const path = await filledStore();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096); // overwrite the second page
    closeSync(fd);
    const error = await errorOfReading(path);
    expect(error).toBeInstanceOf(StoreFileError);
    expect((error as Error).message).toMatch(/corrupt|malformed/i);
  });

  it("refuses a truncated file with a clear error", async () => {
    const path = await filledStore();
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await errorOfReading(path);
    expect(error).toBeInstanceOf(StoreFileError);
    expect((error as Error).message).toMatch(/corrupt|malformed/i);
  });

  it("lets two engine processes share one file: every execution completes, each operation is committed once", async () => {
    const path = newPath();
    const chargeLog = join(dir, `two-workers-${files}.log`);
    const starter = SqliteStore.open(path);
    const { payment } = await import("./programs/payment.js");
    const engine = createEngine({ store: starter, functions: { payment }, worker: false });
    const ids = Array.from({ length: 12 }, (_, i) => `order-${i}`);
    for (const id of ids) await engine.start("payment", { orderId: id, amount: 1, chargeLog }, { executionId: id });
    const workers = [0, 1].map(() =>
      spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "programs/engine-worker.ts"), path], { stdio: "ignore" }),
    );
    try {
      for (const id of ids) expect((await engine.waitForExecution(id, { timeoutMs: 30_000 })).status).toBe("SUCCEEDED");
    } finally {
      for (const worker of workers) worker.kill("SIGKILL");
    }
    for (const id of ids) {
      const updates = await engine.history(id);
      const succeeded = updates.filter((u) => u.record.Status === "SUCCEEDED").map((u) => u.record.Id);
      expect(succeeded.sort()).toEqual(["charge#0", "execution", "receipt#0", "settle#0"]);
    }
    await engine.close();
    await starter.close();
  });
});
