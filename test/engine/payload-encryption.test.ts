import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createEngine, encryptPayloads, PayloadKeyError, SqliteStore, type EngineStore } from "../../engine/index.js";
import { retryPresets, withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-encryption-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET_INPUT = "card-4242-4242-4242-4242";
const SECRET_RESULT = "ssn-078-05-1120";
const SECRET_ERROR = "token-sk_live_51H7";
const SECRET_CALLBACK = "approved-by-jane.doe@example.com";

const flow = withDurableExecution(async (event: { card: string }, context) => {
  const masked = await context.step("mask", async () => `${SECRET_RESULT}/${event.card.length}`);
  let failure = "";
  try {
    await context.step("leak", async () => {
      throw new Error(`upstream said ${SECRET_ERROR}`);
    }, { retryStrategy: retryPresets.noRetry });
  } catch (error) {
    failure = (error as Error).message;
  }
  const [approval] = await context.createCallback("approve", { timeout: { seconds: 60 } });
  return { masked, failure: failure.length, approval: await approval };
});

async function run(store: EngineStore): Promise<string> {
  const engine = createEngine({ store, functions: { flow }, pollMs: 20 });
  try {
    const execution = await engine.start("flow", { card: SECRET_INPUT });
    let callbackId: string | undefined;
    while (!callbackId) {
      callbackId = (await engine.operations(execution.executionId)).find((r) => r.Type === "CALLBACK")?.CallbackDetails?.CallbackId;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await engine.sendCallbackSuccess(callbackId, JSON.stringify(SECRET_CALLBACK));
    const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
    expect(done.status).toBe("SUCCEEDED");
    // The engine sees plaintext: the history and the operations open transparently.
    const history = await engine.history(execution.executionId);
    expect(JSON.stringify(history)).toContain(SECRET_RESULT);
    expect(JSON.stringify(await engine.operations(execution.executionId))).toContain(SECRET_ERROR);
    expect((await engine.getExecution(execution.executionId))?.input).toContain(SECRET_INPUT);
    return execution.executionId;
  } finally {
    await engine.close();
  }
}

/** Every byte of the store's files, including the WAL, as text. */
function rawBytes(path: string): string {
  return [path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((file) => readFileSync(file).toString("latin1")).join("");
}

it("encrypts inputs, results, errors, stack traces and callback payloads at rest; the raw database holds no plaintext", async () => {
  const path = join(dir, "encrypted.sqlite");
  const key = { id: "k1", key: randomBytes(32) };
  const store = encryptPayloads(SqliteStore.open(path), { key });
  const executionId = await run(store);
  const raw = rawBytes(path);
  for (const secret of [SECRET_INPUT, SECRET_RESULT, SECRET_ERROR, SECRET_CALLBACK, "at async"]) expect(raw).not.toContain(secret);
  expect(raw).toContain("rpl:aes256gcm:k1:");
  await store.close();

  // The same file without encryption: the plaintext-control run shows the check can fail.
  const plainPath = join(dir, "plain.sqlite");
  const plain = SqliteStore.open(plainPath);
  await run(plain);
  await plain.close();
  expect(rawBytes(plainPath)).toContain(SECRET_RESULT);

  // Rotation: a new primary key, the old one as fallback; old data opens, new data uses k2.
  const rotated = encryptPayloads(SqliteStore.open(path), { key: { id: "k2", key: randomBytes(32) }, fallbackKeys: [key] });
  expect((await rotated.getExecution(executionId))?.input).toContain(SECRET_INPUT);
  await run(rotated);
  await rotated.close();
  expect(rawBytes(path)).toContain("rpl:aes256gcm:k2:");

  // Without the old key: a clear error naming the key, nothing decrypted wrongly.
  const missing = encryptPayloads(SqliteStore.open(path), { key: { id: "k3", key: randomBytes(32) } });
  await expect(missing.getExecution(executionId)).rejects.toThrow(/encrypted with key "k1", which is not configured: add it to fallbackKeys/);
  await missing.close();
});

it("refuses a ciphertext moved to another execution, and bad keys", async () => {
  const path = join(dir, "moved.sqlite");
  const key = { id: "k1", key: randomBytes(32) };
  const store = encryptPayloads(SqliteStore.open(path), { key });
  await store.createExecution({ executionId: "a", functionName: "f", input: JSON.stringify({ secret: 1 }), createdAt: 1 });
  await store.createExecution({ executionId: "b", functionName: "f", input: JSON.stringify({ secret: 2 }), createdAt: 2 });
  await store.close();
  const db = new Database(path);
  db.prepare("UPDATE executions SET input = (SELECT input FROM executions WHERE id = 'a') WHERE id = 'b'").run();
  db.close();
  const reopened = encryptPayloads(SqliteStore.open(path), { key });
  expect((await reopened.getExecution("a"))?.input).toBe(JSON.stringify({ secret: 1 }));
  await expect(reopened.getExecution("b")).rejects.toThrow(/failed its integrity check/);
  await reopened.close();
  expect(() => encryptPayloads(SqliteStore.open(join(dir, "x.sqlite")), { key: { id: "short", key: randomBytes(16) } })).toThrow(PayloadKeyError);
});

it("fails closed: an altered prefix, plaintext in place of a ciphertext, an unsealed error are refused naming the execution and operation; plaintext only with acceptPlaintext", async () => {
  const path = join(dir, "fail-closed.sqlite");
  const key = { id: "k1", key: randomBytes(32) };
  const twoSteps = withDurableExecution(async (_event, context) => {
    const value = await context.step("value", async () => SECRET_RESULT);
    try {
      await context.step("broken", async () => {
        throw new Error(SECRET_ERROR);
      }, { retryStrategy: retryPresets.noRetry });
    } catch {
      // recorded, encrypted
    }
    return value;
  });
  const store = encryptPayloads(SqliteStore.open(path), { key });
  const engine = createEngine({ store, functions: { twoSteps }, pollMs: 20 });
  const { executionId } = await engine.start("twoSteps", {}, { executionId: "sealed-1" });
  expect((await engine.waitForExecution(executionId, { timeoutMs: 10_000 })).status).toBe("SUCCEEDED");
  await engine.close();
  await store.close();

  const tamper = (sql: string) => {
    const db = new Database(path);
    db.exec(sql);
    db.close();
  };
  const reopen = (options: { acceptPlaintext?: boolean } = {}) => encryptPayloads(SqliteStore.open(path), { key, ...options });
  const operationsOf = async (options: { acceptPlaintext?: boolean } = {}) => {
    const s = reopen(options);
    try {
      return await s.loadOperations(executionId);
    } finally {
      await s.close();
    }
  };
  const stepRow = (name: string) => `execution_key = (SELECT key FROM history_heads WHERE execution_id = '${executionId}') AND json_extract(record, '$.Name') = '${name}'`;
  expect((await operationsOf()).find((r) => r.Name === "value")?.StepDetails?.Result).toBe(JSON.stringify(SECRET_RESULT));

  // The prefix altered: it came back as the result (the ciphertext's text).
  tamper(`UPDATE history SET record = json_set(record, '$.StepDetails.Result', replace(json_extract(record, '$.StepDetails.Result'), 'rpl:aes256gcm:', 'rpl:aes256gcX:')) WHERE ${stepRow("value")}`);
  await expect(operationsOf()).rejects.toThrow(PayloadKeyError);
  await expect(operationsOf()).rejects.toThrow(/^The payload of execution sealed-1, operation \S+ \(result\) is not encrypted although encryption is on/);

  // Plaintext JSON in place of the ciphertext: refused, read only under the migration option.
  tamper(`UPDATE history SET record = json_set(record, '$.StepDetails.Result', '"forged"') WHERE ${stepRow("value")}`);
  await expect(operationsOf()).rejects.toThrow(/is not encrypted although encryption is on: it was altered, or written before encryption was turned on \(open the store with acceptPlaintext: true/);
  expect((await operationsOf({ acceptPlaintext: true })).find((r) => r.Name === "value")?.StepDetails?.Result).toBe('"forged"');

  // An error object without a sealed string.
  tamper(`UPDATE history SET record = json_remove(record, '$.StepDetails.Result') WHERE ${stepRow("value")}`);
  tamper(`UPDATE history SET record = json_set(record, '$.StepDetails.Error', json('{"ErrorType":"Forged","ErrorMessage":"not sealed"}')) WHERE ${stepRow("broken")}`);
  await expect(operationsOf()).rejects.toThrow(/^The error of execution sealed-1, operation \S+ \(error\) is not encrypted although encryption is on/);
  tamper(`UPDATE history SET record = json_set(record, '$.StepDetails.Error', json('{"Sealed":42}')) WHERE ${stepRow("broken")}`);
  await expect(operationsOf()).rejects.toThrow(PayloadKeyError);
  expect((await operationsOf({ acceptPlaintext: true })).find((r) => r.Name === "broken")?.StepDetails?.Error).toEqual({ Sealed: 42 });
});

it("refuses a key id given twice when the store is wrapped, before anything is written", () => {
  const path = join(dir, "duplicate-key.sqlite");
  const inner = SqliteStore.open(path);
  const key = { id: "k1", key: randomBytes(32) };
  expect(() => encryptPayloads(inner, { key, fallbackKeys: [{ id: "k1", key: randomBytes(32) }] })).toThrow(PayloadKeyError);
  expect(() => encryptPayloads(inner, { key, fallbackKeys: [{ id: "k0", key: randomBytes(32) }, { id: "k0", key: randomBytes(32) }] })).toThrow(/Payload key id "k0" is given twice/);
  void inner.close();
});
