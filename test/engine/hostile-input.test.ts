import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, MemoryStore, SqliteStore, type Engine, type EngineStore } from "../../engine/index.js";
import { newPgStore } from "./stores/pg-test-store.js";
import { withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const approval = withDurableExecution(async (event: Record<string, unknown>, context) => {
  const [promise] = await context.createCallback("approve", { timeout: { seconds: 60 } });
  const answer = await promise;
  return { keys: Object.keys(event), answer };
});
const echo = withDurableExecution(async (event: unknown) => event);
const hoarder = withDurableExecution(async (_event, context) => context.step("big", async () => "x".repeat(300 * 1024)));

async function callbackId(engine: Engine, executionId: string): Promise<string> {
  for (;;) {
    const id = (await engine.operations(executionId)).find((r) => r.Type === "CALLBACK")?.CallbackDetails?.CallbackId;
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(join(dir, `hostile-${++files}.sqlite`))],
  ["PostgresStore", newPgStore],
] as Array<[string, () => EngineStore | Promise<EngineStore>]>)("hostile input on %s", (_name, makeStore) => {
  it("rejects hostile identifiers before they reach the store", async () => {
    const store = await makeStore();
    const engine = createEngine({ store, functions: { echo }, pollMs: 20 });
    try {
      for (const id of ["../../etc/passwd", "a/b", "a\u0000b", "", " lead", "x".repeat(257), "\u202e", "a\nb"]) {
        await expect(engine.start("echo", {}, { executionId: id })).rejects.toThrow(/Invalid execution id/);
      }
      for (const id of ["../x", "a\u0000b", "x".repeat(1025), "", "a b"]) await expect(engine.sendCallbackSuccess(id, "1")).rejects.toThrow(/Invalid callback id/);
      expect(() => engine.register("../evil", echo)).toThrow(/Invalid function name/);
      expect(() => engine.register("a".repeat(300), echo)).toThrow(/Invalid function name/);
      expect(await engine.listExecutions()).toEqual([]);
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it("binds callback ids to their execution: forged and reused ids complete nothing", async () => {
    const store = await makeStore();
    const engine = createEngine({ store, functions: { approval }, pollMs: 20 });
    try {
      const a = await engine.start("approval", {});
      const b = await engine.start("approval", {});
      const idA = await callbackId(engine, a.executionId);
      const idB = await callbackId(engine, b.executionId);
      expect(idA).not.toBe(idB);
      expect(idA).toMatch(/^c[A-Za-z0-9_-]{24}$/); // 24 base64url characters: 144 random bits
      expect(Buffer.from(idA.slice(1), "base64url").length).toBeGreaterThanOrEqual(16); // >= 128 random bits
      expect(idA).not.toContain(a.executionId);
      await expect(engine.sendCallbackSuccess(randomBytes(18).toString("base64url"), "1")).rejects.toThrow(/No callback with id/);
      await engine.sendCallbackSuccess(idA, JSON.stringify("yes"));
      await expect(engine.sendCallbackSuccess(idA, JSON.stringify("again"))).rejects.toThrow(/already been completed|no longer waiting/);
      expect(JSON.parse((await engine.waitForExecution(a.executionId, { timeoutMs: 5000 })).result!).answer).toBe('"yes"');
      await expect(engine.sendCallbackFailure(idA, "late")).rejects.toThrow(/no longer waiting/);
      expect((await engine.getExecution(b.executionId))?.status).toBe("RUNNING"); // untouched by A's callback
      await engine.sendCallbackSuccess(idB, JSON.stringify("b"));
      expect(JSON.parse((await engine.waitForExecution(b.executionId, { timeoutMs: 5000 })).result!).answer).toBe('"b"');
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it("refuses oversize, circular, too deep and non-JSON payloads with clear errors, and keeps serving other executions", async () => {
    const store = await makeStore();
    const engine = createEngine({ store, functions: { echo, approval, hoarder }, pollMs: 20 });
    try {
      await expect(engine.start("echo", { blob: "x".repeat(300 * 1024) })).rejects.toThrow(/execution input is \d+ bytes, over the 262144-byte limit/);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(engine.start("echo", circular)).rejects.toThrow(/execution input cannot be stored as JSON/);
      await expect(engine.start("echo", { n: 10n })).rejects.toThrow(/cannot be stored as JSON/);
      let deep: unknown = 1;
      for (let i = 0; i < 200_000; i++) deep = [deep];
      await expect(engine.start("echo", deep)).rejects.toThrow(/nested too deeply|cannot be stored as JSON/);

      const waiting = await engine.start("approval", {});
      const id = await callbackId(engine, waiting.executionId);
      await expect(engine.sendCallbackSuccess(id, "y".repeat(300 * 1024))).rejects.toThrow(/callback result is \d+ bytes/);
      await expect(engine.sendCallbackSuccess(id, { not: "text" } as unknown as string)).rejects.toThrow(/A callback result is text/);

      // A step whose result is over the limit fails its own execution, nothing else.
      const big = await engine.start("hoarder", {});
      const failed = await engine.waitForExecution(big.executionId, { timeoutMs: 5000 });
      expect(failed.status).toBe("FAILED");
      expect(failed.error?.ErrorMessage).toMatch(/over the 262144-byte payload limit/);
      const fine = await engine.start("echo", { ok: true });
      expect((await engine.waitForExecution(fine.executionId, { timeoutMs: 5000 })).result).toBe('{"ok":true}');
      await engine.sendCallbackSuccess(id, JSON.stringify("still fine"));
      expect((await engine.waitForExecution(waiting.executionId, { timeoutMs: 5000 })).status).toBe("SUCCEEDED");
    } finally {
      await engine.close();
      await store.close();
    }
  });

  it("passes prototype-pollution keys through as plain data without polluting anything", async () => {
    const store = await makeStore();
    const engine = createEngine({ store, functions: { approval }, pollMs: 20 });
    try {
      const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "ok": 1}');
      const execution = await engine.start("approval", input);
      await engine.sendCallbackSuccess(await callbackId(engine, execution.executionId), '{"__proto__": {"polluted": "yes"}}');
      const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 5000 });
      expect(JSON.parse(done.result!).keys.sort()).toEqual(["__proto__", "constructor", "ok"]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await engine.close();
      await store.close();
    }
  });
});

it("a store that fails on write (a full disk) loses nothing: the execution waits, then completes from what was committed", async () => {
  const inner = new MemoryStore();
  let failWrites = false;
  const store: EngineStore = Object.assign(Object.create(inner) as EngineStore, {
    commit: (batch: Parameters<EngineStore["commit"]>[0]) =>
      failWrites && batch.operations.some((r) => r.Type === "STEP") ? Promise.reject(new Error("SQLITE_FULL: database or disk is full")) : inner.commit(batch),
  });
  let runsOfOne = 0;
  const steps = withDurableExecution(async (_event, context) => {
    await context.step("one", async () => ++runsOfOne);
    await context.wait({ seconds: 1 });
    return context.step("two", async () => 2);
  });
  const engine = createEngine({ store, functions: { steps }, pollMs: 20 });
  const errors: unknown[] = [];
  engine.subscribe((e) => e.type === "worker-error" && errors.push(e.error));
  try {
    const execution = await engine.start("steps", {});
    while ((await inner.loadOperations(execution.executionId)).every((r) => r.Type !== "WAIT")) await new Promise((resolve) => setTimeout(resolve, 10));
    failWrites = true;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(String(errors[0])).toMatch(/disk is full/);
    const during = await inner.getExecution(execution.executionId);
    expect(during?.status).toBe("RUNNING");
    expect((await inner.loadOperations(execution.executionId)).find((r) => r.Id === "one#0")).toMatchObject({ Status: "SUCCEEDED", StepDetails: { Result: "1" } });
    failWrites = false;
    const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.result).toBe("2");
    expect(runsOfOne).toBe(1);
  } finally {
    await engine.close();
    await inner.close();
  }
});
