import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, encryptPayloads, SqliteStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

// `replayable console` as a user starts it: a real child process (the CLI's sources through
// tsx), its printed URL fetched over loopback, stopped with Ctrl-C (SIGINT). Also the store
// whose payloads are encrypted: nothing of them is served without the key, all with it.

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "replayable-console-cli-"));
const store = join(dir, "db.sqlite");
const key = { id: "k1", key: randomBytes(32) };
const keyFile = join(dir, "keys.txt");
const SECRET = "card 4111-1111-1111-1111";
let callbackId = "";

beforeAll(async () => {
  const sqlite = SqliteStore.open(store);
  const engine = createEngine({
    store: encryptPayloads(sqlite, { key }),
    functions: {
      "billing:pay.ts@pay": withDurableExecution(async (event: { card: string }, ctx) => ctx.step("charge", async () => `charged ${event.card}`)),
      approve: withDurableExecution(async (_event: unknown, ctx) => ctx.waitForCallback("ok", async () => undefined)),
    },
  });
  await engine.start("billing:pay.ts@pay", { card: SECRET }, { executionId: "pay-1" });
  await engine.waitForExecution("pay-1", { timeoutMs: 10_000 });
  await engine.start("approve", { card: SECRET }, { executionId: "approve-1" });
  for (let i = 0; i < 500 && !(await engine.operations("approve-1")).some((r) => r.Type === "CALLBACK" && r.CallbackDetails?.CallbackId); i++) await new Promise((r) => setTimeout(r, 10));
  callbackId = (await engine.operations("approve-1")).find((r) => r.Type === "CALLBACK")!.CallbackDetails!.CallbackId!;
  await engine.close();
  await sqlite.close();
  writeFileSync(keyFile, `# the store's key\n${key.id}:${key.key.toString("base64")}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startConsole(args: string[]): { child: ChildProcess; url: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "cli/bin.ts"), "console", ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.on("exit", () => reject(new Error(`console exited before printing its URL: ${stdout}${stderr}`)));
  });
  url.catch(() => undefined); // the refusals below exit without a URL, as they should
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
  return { child, url, exit };
}

function completeCallback(url: string): Promise<Response> {
  const base = new URL(url);
  return fetch(new URL(`/api/callbacks/${callbackId}/succeed`, base), {
    method: "POST",
    headers: { "x-replayable-token": base.searchParams.get("token")!, "content-type": "application/json" },
    body: JSON.stringify({ result: '"approved"' }),
  });
}

async function detailOf(url: string, executionId: string): Promise<string> {
  const base = new URL(url);
  const response = await fetch(new URL(`/api/executions/${executionId}`, base), { headers: { "x-replayable-token": base.searchParams.get("token")! } });
  expect(response.status).toBe(200);
  return response.text();
}

describe("replayable console", () => {
  it("prints its URL, serves the store, and stops on Ctrl-C with exit code 0; without the key, encrypted payloads are not served", async () => {
    const run = startConsole(["--store", store, "--port", "0"]);
    try {
      const url = await run.url;
      const body = await detailOf(url, "pay-1");
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain("rpl:aes256gcm:");
      expect(JSON.parse(body).execution.payloads[0]).toMatchObject({ label: "Input", encrypted: true });
      expect(JSON.parse(body).encrypted).toBe(true);
      // Functions are shown, and filtered, as the CLI shows them: file#export.
      const base = new URL(url);
      const list = (await (await fetch(new URL("/api/executions?function=billing/pay.ts%23pay", base), { headers: { "x-replayable-token": base.searchParams.get("token")! } })).json()) as { executions: Array<{ executionId: string; function: string }> };
      expect(list.executions).toMatchObject([{ executionId: "pay-1", function: "billing/pay.ts#pay" }]);
      // A completion from a console without the key would be stored in plaintext: refused, with the fix.
      const refused = await completeCallback(url);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: string }).error).toContain("start it with --key-file");
    } finally {
      run.child.kill("SIGINT");
    }
    expect((await run.exit).code).toBe(0);
  });

  it("with --key-file shows the encrypted store's payloads", async () => {
    const run = startConsole(["--store", store, "--key-file", keyFile, "--port", "0"]);
    try {
      const detail = JSON.parse(await detailOf(await run.url, "pay-1")) as { execution: { payloads: Array<{ label: string; text: string }> }; operations: Array<{ payloads: Array<{ text: string }> }> };
      expect(JSON.parse(detail.execution.payloads[0]!.text)).toEqual({ card: SECRET });
      expect(detail.operations.flatMap((op) => op.payloads.map((p) => p.text))).toContain(JSON.stringify(`charged ${SECRET}`));
      expect((await completeCallback(await run.url)).status).toBe(200);
    } finally {
      run.child.kill("SIGINT");
    }
    expect((await run.exit).code).toBe(0);
  });

  it("refuses what it cannot use, with the cause and the fix", async () => {
    const missing = await startConsole(["--store", join(dir, "nope.sqlite")]).exit;
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("There is no store at");
    const token = await startConsole(["--store", store, "--token", "short"]).exit;
    expect(token.code).toBe(2);
    expect(token.stderr).toContain("--token must be 16 to 128 characters");
    writeFileSync(join(dir, "bad-keys.txt"), "k1:c2hvcnQ=\n");
    const badKey = await startConsole(["--store", store, "--key-file", join(dir, "bad-keys.txt")]).exit;
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("must be 32 bytes");
  });
});
