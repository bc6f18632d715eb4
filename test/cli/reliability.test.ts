/**
 * The CLI's promises under hostile input and racing processes, through the built bin in
 * child processes: one callback sender wins, foreign files stay untouched, stored paths and
 * texts are input, reads are bounded, store errors are one clear line.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, runCli, type CliBuild } from "./cli-build.js";

let build: CliBuild;
let dir: string;

beforeAll(async () => {
  build = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-reliability-"));
  fs.mkdirSync(path.join(dir, "handlers"));
  fs.writeFileSync(
    path.join(dir, "handlers/approval.mjs"),
    `import { withDurableExecution } from "replayable";
export const approval = withDurableExecution(async (event, context) => {
  const [promise] = await context.createCallback("approve", { timeout: { seconds: event.timeout ?? 300 } });
  return { approved: await promise };
});
`,
  );
}, 60_000);

afterAll(() => {
  build?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], cwd = dir, env: NodeJS.ProcessEnv = {}) => runCli(build.bin, args, { cwd, env });
const storeFor = (name: string) => path.join(dir, "stores", name, "db.sqlite");

/** Starts an approval and runs it to its callback; returns the callback id. */
async function waitingApproval(store: string, executionId: string, input = "{}"): Promise<string> {
  expect((await cli(["run", "handlers/approval.mjs", "--id", executionId, "--input", input, "--no-follow", "--store", store])).code).toBe(0);
  expect((await cli(["resume", "--once", "--store", store])).code).toBe(0);
  const shown = JSON.parse((await cli(["show", executionId, "--json", "--store", store])).stdout) as { operations: Array<{ record: { Type: string; CallbackDetails?: { CallbackId: string } } }> };
  return shown.operations.find((o) => o.record.Type === "CALLBACK")!.record.CallbackDetails!.CallbackId;
}

describe("replayable callback from several processes", () => {
  it("while another process holds the write lock for 3 s: exactly one sender exits 0, the others exit 3 'no longer waiting', and the winner's value is the result", async () => {
    const store = storeFor("callback-race");
    const id = await waitingApproval(store, "race-1");
    const lock = new Database(store);
    lock.exec("BEGIN IMMEDIATE");
    const senders = [0, 1, 2].map((i) => cli(["callback", id, "--succeed", JSON.stringify({ sender: i }), "--store", store]));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    lock.exec("COMMIT");
    lock.close();
    const answers = await Promise.all(senders);
    expect(answers.map((a) => a.code).sort()).toEqual([0, 3, 3]);
    for (const refused of answers.filter((a) => a.code === 3)) {
      expect(refused.stderr).toMatch(/^replayable callback: Callback \S+ is no longer waiting: it has already been completed by another sender\. Nothing was recorded\.\n$/);
    }
    const winner = answers.findIndex((a) => a.code === 0);
    expect((await cli(["resume", "--once", "--store", store])).code).toBe(0);
    const shown = JSON.parse((await cli(["show", "race-1", "--json", "--store", store])).stdout) as { execution: { status: string; result: string } };
    expect(shown.execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(shown.execution.result)).toEqual({ approved: JSON.stringify({ sender: winner }) });
  }, 60_000);
});

describe("a file that is not a replayable store", () => {
  it("list, show and resume on another program's SQLite database refuse it (exit 4) and leave every byte as it was", async () => {
    const foreign = path.join(dir, "notes.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    const before = fs.readFileSync(foreign);
    for (const args of [["list"], ["show", "x"], ["resume", "--once"]]) {
      const refused = await cli([...args, "--store", foreign]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain("is an SQLite database made by another program, not a replayable store");
    }
    expect(fs.readFileSync(foreign).equals(before)).toBe(true);
    expect(fs.existsSync(`${foreign}-wal`)).toBe(false);
  }, 60_000);
});

describe("a store names the handler files resume imports", () => {
  it("resume refuses a recorded path outside the working directory (../ segments or absolute) before importing anything", async () => {
    const project = path.join(dir, "project");
    fs.mkdirSync(path.join(project, "handlers"), { recursive: true });
    fs.copyFileSync(path.join(dir, "handlers/approval.mjs"), path.join(project, "handlers/approval.mjs"));
    const marker = path.join(dir, "evil-ran");
    fs.mkdirSync(path.join(dir, "evil"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "evil/evil.mjs"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "imported");\nexport const handler = async () => "evil";\n`,
    );
    const store = storeFor("evil-paths");
    for (const id of ["up", "absolute"]) expect((await cli(["run", "handlers/approval.mjs", "--id", id, "--no-follow", "--store", store], project)).code).toBe(0);
    const db = new Database(store);
    db.prepare("UPDATE executions SET function_name = ? WHERE id = 'up'").run("x:..:..:evil:evil.mjs@handler");
    db.prepare("UPDATE executions SET function_name = ? WHERE id = 'absolute'").run(`${path.join(dir, "evil/evil.mjs")}#handler`);
    db.close();
    const resumed = await cli(["resume", "--once", "--store", store], project);
    expect(fs.existsSync(marker)).toBe(false);
    expect(resumed.code).toBe(2);
    const evil = path.join(dir, "evil/evil.mjs");
    expect(resumed.stderr).toContain(`cannot run 1 execution (up): x/../../evil/evil.mjs#handler: refused, nothing imported: ${evil} is outside the working directory ${project}.`);
    expect(resumed.stderr).toContain(`cannot run 1 execution (absolute): ${evil}#handler: refused, nothing imported: ${evil} is outside the working directory ${project}.`);
  }, 60_000);
});

describe("@file arguments", () => {
  it("run --input @/dev/zero and callback --succeed @/dev/zero read at most the payload limit plus one byte and refuse the rest (exit 2)", async () => {
    const store = storeFor("bounded-reads");
    const limit = 256 * 1024;
    const started = Date.now();
    const input = await runCli(build.bin, ["run", "handlers/approval.mjs", "--input", "@/dev/zero", "--store", store], { cwd: dir, timeoutMs: 8000 });
    expect(input).toMatchObject({ code: 2, stderr: `replayable run: --input @/dev/zero: /dev/zero holds more than the ${limit}-byte payload limit (read stopped there); store large data elsewhere and pass a reference.\n` });
    const id = await waitingApproval(store, "bounded-1");
    const big = path.join(dir, "big.json");
    fs.writeFileSync(big, JSON.stringify("x".repeat(limit - 1))); // limit + 1 bytes with the quotes
    for (const file of ["/dev/zero", big]) {
      const answer = await runCli(build.bin, ["callback", id, "--succeed", `@${file}`, "--store", store], { cwd: dir, timeoutMs: 8000 });
      expect(answer).toMatchObject({ code: 2, stderr: expect.stringContaining(`--succeed @${file}: ${file} holds more than the ${limit}-byte payload limit`) });
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});

describe("text from a store or a user", () => {
  it("show, resume and run print a hostile callback error and input with their control characters escaped", async () => {
    const store = storeFor("hostile-text");
    const hostile = "\u001b]0;pwned\u0007\u001b[2J\r\u2028✓ SUCCEEDED\u009b31m";
    const id = await waitingApproval(store, "hostile-1", JSON.stringify({ note: "\u009b2J\u202e" }));
    expect((await cli(["callback", id, "--fail", hostile, "--store", store])).code).toBe(0);
    const outputs = [
      await cli(["resume", "--once", "--store", store]),
      await cli(["show", "hostile-1", "--store", store]),
      await cli(["show", "hostile-1", "--json", "--store", store]),
      await cli(["list", "--store", store]),
      await cli(["run", "handlers/approval.mjs", "--id", "hostile-1", "--store", store]),
    ];
    for (const { stdout, stderr } of outputs) {
      // Newline is the only control character printed; nothing of the hostile text reaches the terminal raw.
      // eslint-disable-next-line no-control-regex
      expect(`${stdout}${stderr}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    }
    const escaped = "\\x1b]0;pwned\\x07\\x1b[2J\\r\\u2028✓ SUCCEEDED\\x9b31m";
    expect(outputs[0]!.stdout).toContain(`hostile-1  ✗ FAILED CallbackExternalError: ${escaped}\n`);
    expect(outputs[1]!.stdout).toContain(`error: CallbackExternalError: ${escaped}\n`);
    expect(outputs[1]!.stdout).toContain('  input        {"note":"\\x9b2J\\u202e"}\n');
    expect(JSON.parse(outputs[2]!.stdout).execution.error.ErrorMessage).toBe(hostile); // --json stays exact JSON
    expect(outputs[4]!.stdout).toContain(`error: CallbackExternalError: ${escaped}\n`);
  }, 60_000);
});

describe("a damaged store row", () => {
  it("run --id and resume stop with exit 4 and one line naming the execution and the row, instead of looping on stack traces", async () => {
    const store = storeFor("damaged-row");
    const id = await waitingApproval(store, "damaged-1");
    expect((await cli(["callback", id, "--succeed", '"yes"', "--store", store])).code).toBe(0); // due now
    const db = new Database(store);
    const row = db
      .prepare(
        "SELECT sequence, number, operation_id AS id FROM history WHERE execution_key = (SELECT key FROM history_heads WHERE execution_id = 'damaged-1') AND json_extract(record, '$.Type') = 'CALLBACK' ORDER BY number DESC LIMIT 1",
      )
      .get() as { sequence: number; number: number; id: string };
    db.prepare("UPDATE history SET record = substr(record, 1, 40) WHERE sequence = ?").run(row.sequence);
    db.close();
    // The callback's latest state is also history update N: a command names the row as whichever it reads first.
    const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const expected = new RegExp(`${quote(store)}: execution damaged-1, (history update ${row.number}|the latest state of operation ${quote(row.id)}) \\(table history\\) is damaged \\(`);
    for (const args of [["run", "handlers/approval.mjs", "--id", "damaged-1"], ["resume", "--once"]]) {
      const result = await runCli(build.bin, [...args, "--store", store], { cwd: dir, timeoutMs: 20_000 });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).toContain("Restore the store from a backup, or start the execution again under a new id.");
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 60_000);
});

describe("a write lock another process holds longer than the busy timeout", () => {
  it("run prints one 'store busy' line without a stack, the engine retries once the lock is gone, and the execution succeeds", async () => {
    // The unit test (engine-errors.test) feeds workerErrorLine a made-up SQLITE_BUSY; here the
    // CLI's own commit waits out SQLite's 10 s busy timeout on a lock this test process holds.
    fs.writeFileSync(
      path.join(dir, "handlers/busy.mjs"),
      `import { appendFileSync } from "node:fs";
export const busy = withDurableExecution(async (event, context) => {
  const done = await context.step("work", async () => {
    appendFileSync(event.marker, "started\\n");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return "worked";
  });
  return { done };
});
import { withDurableExecution } from "replayable";
`,
    );
    const store = storeFor("busy");
    const marker = path.join(dir, "busy.marker");
    const run = runCli(build.bin, ["run", "handlers/busy.mjs", "--id", "busy-1", "--input", JSON.stringify({ marker }), "--store", store], { cwd: dir, timeoutMs: 80_000 });
    for (let i = 0; i < 1_600 && !fs.existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(fs.existsSync(marker), "the step to start (a loaded machine?)").toBe(true);
    // Held from the step's start until past the step's commit giving up (1.5 s + 10 s busy timeout).
    const lock = new Database(store);
    lock.exec("BEGIN IMMEDIATE");
    await new Promise((resolve) => setTimeout(resolve, 12_500));
    lock.exec("COMMIT");
    lock.close();
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    const busyLines = result.stderr.split("\n").filter((line) => line.includes("store busy"));
    expect(busyLines, result.stderr).toHaveLength(1);
    // The first write to wait out the timeout is the worker's poll for due work, or the step's checkpoint.
    expect(busyLines[0]).toMatch(/^store busy( \(busy-1\))?: (Checkpoint not committed: )?\S*db\.sqlite is locked by another process for too long \(SQLITE_BUSY\); retry\..* The engine retries\.$/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toContain('"worked"');
    const db = new Database(store, { readonly: true });
    const row = db.prepare("SELECT status, result FROM executions WHERE id = 'busy-1'").get() as { status: string; result: string };
    db.close();
    expect([row.status, JSON.parse(row.result)]).toEqual(["SUCCEEDED", { done: "worked" }]);
    // Once, or twice when the step's own checkpoint was the write that gave up.
    expect(["started\n", "started\nstarted\n"]).toContain(fs.readFileSync(marker, "utf8"));
  }, 120_000);
});

describe("replayable backup", () => {
  it("copies a live store with what is still in its WAL (copying db.sqlite alone loses it); refuses to overwrite", async () => {
    const store = storeFor("backup");
    expect((await cli(["run", "handlers/approval.mjs", "--id", "first", "--no-follow", "--store", store])).code).toBe(0);
    const holder = new Database(store); // another process keeps the store open: its WAL is not folded into db.sqlite
    holder.prepare("SELECT count(*) FROM executions").get();
    expect((await cli(["run", "handlers/approval.mjs", "--id", "in-wal", "--no-follow", "--store", store])).code).toBe(0);
    expect(fs.statSync(`${store}-wal`).size).toBeGreaterThan(0);
    const fileCopy = path.join(dir, "copied-main-file.sqlite");
    fs.copyFileSync(store, fileCopy);
    const copied = new Database(fileCopy, { readonly: true });
    const inCopy = (copied.prepare("SELECT id FROM executions").all() as Array<{ id: string }>).map((r) => r.id);
    copied.close();
    expect(inCopy).not.toContain("in-wal"); // what the README warns about

    const backup = path.join(dir, "backup.sqlite");
    const made = await cli(["backup", backup, "--store", store]);
    expect(made).toMatchObject({ code: 0, stdout: `backed up ${store} to ${backup} (2 executions)\n` });
    holder.close();
    const listed = await cli(["list", "--json", "--store", backup]);
    expect((JSON.parse(listed.stdout) as Array<{ executionId: string }>).map((e) => e.executionId).sort()).toEqual(["first", "in-wal"]);
    expect(await cli(["backup", backup, "--store", store])).toMatchObject({ code: 2, stderr: expect.stringContaining("exists; the backup goes to a new file, so nothing is overwritten") });
  }, 60_000);
});
