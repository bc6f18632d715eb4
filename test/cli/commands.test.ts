/**
 * list, show, callback, resume and ids through the built bin, in child processes, against
 * one store per scenario: what a user types, what they read, the exit codes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, REPO, runCli, startCli, type CliBuild } from "./cli-build.js";

let build: CliBuild;
let dir: string;

beforeAll(async () => {
  build = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-commands-"));
  fs.mkdirSync(path.join(dir, "handlers"));
  fs.writeFileSync(
    path.join(dir, "handlers/count.mjs"),
    `import { withDurableExecution } from "replayable";
export const count = withDurableExecution(async (event, context) => {
  const doubled = await context.step("double", async () => event.n * 2);
  if (event.fail) throw new Error("asked to fail");
  return doubled;
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

/** The callback id an execution waits on, read through `show --json`. */
async function callbackIdOf(executionId: string, store: string, cwd = dir): Promise<string> {
  const shown = await cli(["show", executionId, "--json", "--store", store], cwd);
  const { operations } = JSON.parse(shown.stdout) as { operations: Array<{ record: { Type: string; Status: string; CallbackDetails?: { CallbackId: string } } }> };
  const callback = operations.find((o) => o.record.Type === "CALLBACK" && o.record.Status === "STARTED");
  if (!callback) throw new Error(`no waiting callback in ${shown.stdout}`);
  return callback.record.CallbackDetails!.CallbackId;
}

describe("replayable list and show", () => {
  it("list: none yet, then a table newest first, filtered by status and limited; show: the timeline and the outcome", async () => {
    const store = storeFor("list");
    const before = await cli(["list", "--store", store]);
    expect(before).toMatchObject({ code: 0, stdout: `no executions: there is no store at ${store} yet (replayable run <file> creates it)\n` });
    expect(fs.existsSync(store)).toBe(false);

    expect((await cli(["run", "handlers/count.mjs", "--id", "ok-1", "--input", '{"n":2}', "--store", store])).code).toBe(0);
    expect((await cli(["run", "handlers/count.mjs", "--id", "bad-1", "--input", '{"n":3,"fail":true}', "--store", store])).code).toBe(1);

    const list = await cli(["list", "--store", store]);
    expect(list.code).toBe(0);
    const [header, ...rows] = list.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^EXECUTION +FUNCTION +STATUS +STARTED +DURATION +INVOCATIONS +NEXT$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^bad-1 +handlers\/count\.mjs#count +FAILED +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+m?s +1$/);
    expect(rows[1]).toMatch(/^ok-1 +handlers\/count\.mjs#count +SUCCEEDED /);
    expect((await cli(["list", "--status", "succeeded", "--store", store])).stdout).not.toContain("bad-1");
    expect((await cli(["list", "--limit", "1", "--store", store])).stdout.trimEnd().split("\n")).toHaveLength(2);
    const json = JSON.parse((await cli(["list", "--json", "--store", store])).stdout) as Array<{ executionId: string; function: string; status: string }>;
    expect(json.map((e) => [e.executionId, e.function, e.status])).toEqual([
      ["bad-1", "handlers/count.mjs#count", "FAILED"],
      ["ok-1", "handlers/count.mjs#count", "SUCCEEDED"],
    ]);
    expect(await cli(["list", "--status", "sleeping", "--store", store])).toMatchObject({ code: 2, stderr: expect.stringContaining("--status must be one of running, succeeded, failed, timed_out, stopped; got sleeping") });
    expect(await cli(["list", "--limit", "0", "--store", store])).toMatchObject({ code: 2, stderr: expect.stringContaining("--limit must be a positive integer; got 0") });

    const ok = await cli(["show", "ok-1", "--store", store]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("execution ok-1\n  function     handlers/count.mjs#count\n  status       SUCCEEDED\n");
    expect(ok.stdout).toContain('  input        {"n":2}\n');
    expect(ok.stdout).toMatch(/ {2}✓ double +step +SUCCEEDED +\d+ms +attempt 1 +inv 1\n/);
    expect(ok.stdout).toMatch(/✓ SUCCEEDED in \d+m?s \(1 invocation\)\nresult: 4\n$/);
    const bad = await cli(["show", "bad-1", "--store", store]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/✗ FAILED in \d+m?s \(1 invocation\)\nerror: asked to fail\n$/);
    const asJson = JSON.parse((await cli(["show", "ok-1", "--json", "--store", store])).stdout) as { execution: { result: string }; operations: Array<{ invocation: number; record: { Name?: string } }> };
    expect(asJson.execution.result).toBe("4");
    expect(asJson.operations.map((o) => o.record.Name ?? o.record)).toContain("double");

    expect(await cli(["show", "nope", "--store", store])).toMatchObject({ code: 3, stderr: `replayable show: No execution nope in ${store}; replayable list --store ${store} shows the executions there.\n` });
    expect(await cli(["show", "nope", "--store", storeFor("absent")])).toMatchObject({ code: 3, stderr: expect.stringContaining("there is no store at") });
    expect(await cli(["show"])).toMatchObject({ code: 2, stderr: expect.stringContaining("replayable show: missing the execution id") });
  });
});

describe("replayable callback and resume", () => {
  it("completes the approval example's callback: the id is printed while it waits, bad input is refused, a second answer too", async () => {
    const store = storeFor("approval");
    const started = await cli(
      ["run", "examples/run/expense-approval.ts", "--id", "exp-1", "--no-follow", "--input", '{"expenseId":"e-1","amountCents":900,"approver":"dana@example.com"}', "--store", store],
      REPO,
    );
    expect(started.code).toBe(0);
    const first = await cli(["resume", "--once", "--store", store], REPO);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("asked dana@example.com to approve expense e-1");
    expect(first.stdout).toMatch(/resume --once: ran 1 due execution; 1 still running\n {2}exp-1 +examples\/run\/expense-approval\.ts#expenseApproval +callback 'manager-approval' \(times out in (4m 5\d|5m 00)s\)/);

    const shown = await cli(["show", "exp-1", "--store", store], REPO);
    const callbackId = await callbackIdOf("exp-1", store, REPO);
    expect(shown.stdout).toContain("waiting: callback 'manager-approval' (times out in");
    expect(shown.stdout).toContain(`  complete it: replayable callback ${callbackId} --store ${store} --succeed '<json>'  (or --fail '<message>')`);

    const refusals = await Promise.all([
      cli(["callback", callbackId, "--succeed", "{approved: true}", "--store", store]),
      cli(["callback", callbackId, "--store", store]),
      cli(["callback", callbackId, "--succeed", "true", "--fail", "no", "--store", store]),
      cli(["callback", "bm90LWEtY2FsbGJhY2s", "--succeed", "{}", "--store", store]),
      cli(["callback", "not/an/id", "--succeed", "{}", "--store", store]),
      cli(["callback", callbackId, "--succeed", "{}", "--store", storeFor("absent")]),
      // One random id in 64 begins with "-": it is still the id, not an option.
      cli(["callback", "-bm90LWEtY2FsbGJhY2s", "--succeed", "{}", "--store", store]),
    ]);
    expect(refusals.map((r) => r.code)).toEqual([2, 2, 2, 3, 2, 3, 3]);
    expect(refusals[6]!.stderr).toContain('No callback with id "-bm90LWEtY2FsbGJhY2s" on this store');
    expect(refusals[0]!.stderr).toContain("--succeed must be JSON");
    expect(refusals[1]!.stderr).toContain("give exactly one of --succeed <json>, --fail <message>, --heartbeat");
    expect(refusals[3]!.stderr).toContain('No callback with id "bm90LWEtY2FsbGJhY2s" on this store');
    expect(refusals[4]!.stderr).toContain('Invalid callback id "not/an/id"');
    expect(refusals[5]!.stderr).toContain("there is no store at");

    const answer = await cli(["callback", callbackId, "--succeed", '{"approved":true,"by":"dana"}', "--store", store]);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain("callback succeeded: execution exp-1 continues when a worker picks it up");
    const again = await cli(["callback", callbackId, "--fail", "changed my mind", "--store", store]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("has already been completed");

    const second = await cli(["resume", "--once", "--store", store], REPO);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/exp-1 +✓ reimburse +step +SUCCEEDED/);
    expect(second.stdout).toContain('exp-1  ✓ SUCCEEDED result {"expenseId":"e-1","approved":true,"by":"dana"}');
    const done = await cli(["show", "exp-1", "--store", store], REPO);
    expect(done.stdout).toContain('"approved": true');
    expect((await cli(["callback", callbackId, "--succeed", "{}", "--store", store])).code).toBe(3);
  });

  it("follows the approval to its timeout: no answer, escalated (run waits for the callback's deadline)", async () => {
    const run = await cli(
      ["run", "examples/run/expense-approval.ts", "--input", '{"expenseId":"e-2","amountCents":900,"approver":"sam@example.com","timeoutSeconds":1}', "--store", storeFor("timeout")],
      REPO,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/waiting: callback 'manager-approval' \(times out in \d+m?s\)\n {2}complete it: replayable callback \S+ --store \S+ --succeed/);
    expect(run.stdout).toMatch(/✗ {3}\(callback\) +callback +TIMED_OUT .* Callback timed out/);
    expect(run.stdout).toMatch(/✓ escalate +step +SUCCEEDED/);
    expect(run.stdout).toContain('"note": "no answer from sam@example.com in time; escalated"');
  });

  it("a killed run is continued by resume from its checkpoint: the charge ran once", async () => {
    const store = storeFor("restart");
    const chargeLog = path.join(dir, "restart-charges.log");
    const env = { CHARGE_LOG: chargeLog };
    const first = startCli(build.bin, ["run", "examples/run/order-payment.ts", "--id", "pay-k", "--input", '{"orderId":"o-k","amountCents":1000,"settlementSeconds":2}', "--store", store], { cwd: REPO, env });
    await first.until(/waiting: wait 'settlement' ends in/);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(fs.readFileSync(chargeLog, "utf8").trim().split("\n")).toHaveLength(1);

    // A worker picks it up when the wait ends.
    const worker = startCli(build.bin, ["resume", "--store", store], { cwd: REPO, env });
    await worker.until(/pay-k {2}✓ SUCCEEDED result/);
    worker.child.kill("SIGTERM");
    const stopped = await worker.exited;
    expect(stopped.code).toBe(0);
    const { stdout } = worker.output();
    expect(stdout).toMatch(/^resume: worker \S+ on \S+; runs every execution as it comes due. Ctrl-C to stop.\n/);
    expect(stdout).toMatch(/pay-k +✓ receipt +step +SUCCEEDED/);
    expect(stdout).not.toMatch(/pay-k +✓ charge/);
    expect(stdout).toContain("resume: stopping");
    expect(fs.readFileSync(chargeLog, "utf8").trim().split("\n")).toHaveLength(1);

    const shown = await cli(["show", "pay-k", "--store", store], REPO);
    expect(shown.stdout).toMatch(/✓ charge +step +SUCCEEDED .* inv 1\n/);
    expect(shown.stdout).toMatch(/✓ receipt +step +SUCCEEDED .* inv 2\n/);
    expect(shown.stdout).toContain("(2 invocations)");
  });

  it("run claims only its own function's executions; a resume worker imports a function when its first execution comes due", async () => {
    const store = storeFor("claims");
    fs.copyFileSync(path.join(dir, "handlers/count.mjs"), path.join(dir, "handlers/other.mjs"));
    fs.copyFileSync(path.join(dir, "handlers/count.mjs"), path.join(dir, "handlers/later.mjs"));
    expect((await cli(["run", "handlers/other.mjs", "--id", "other-1", "--input", '{"n":5}', "--no-follow", "--store", store])).code).toBe(0);
    // A run of another function leaves other-1 alone: not claimed, not handed back with a later wake-up.
    expect((await cli(["run", "handlers/count.mjs", "--id", "mine-1", "--input", '{"n":1}', "--store", store])).code).toBe(0);
    const listed = JSON.parse((await cli(["list", "--json", "--store", store])).stdout) as Array<{ executionId: string; status: string; invocations: number; createdAt: number; nextWakeAt?: number }>;
    const other = listed.find((e) => e.executionId === "other-1")!;
    expect(other).toMatchObject({ status: "RUNNING", invocations: 0 });
    expect(other.nextWakeAt).toBe(other.createdAt);

    // The worker starts with no function loaded; it runs other-1, then one started after it began.
    const worker = startCli(build.bin, ["resume", "--store", store], { cwd: dir });
    await worker.until(/other-1 {2}✓ SUCCEEDED result 10\n/);
    expect((await cli(["run", "handlers/later.mjs", "--id", "later-1", "--input", '{"n":7}', "--no-follow", "--store", store])).code).toBe(0);
    await worker.until(/later-1 {2}✓ SUCCEEDED result 14\n/);
    worker.child.kill("SIGTERM");
    expect((await worker.exited).code).toBe(0);
    expect(worker.output().stderr).toBe("");
  });

  it("resume reports executions whose handler file is gone, and leaves them in the store", async () => {
    const store = storeFor("gone");
    fs.copyFileSync(path.join(dir, "handlers/count.mjs"), path.join(dir, "handlers/gone.mjs"));
    expect((await cli(["run", "handlers/gone.mjs", "--id", "orphan", "--input", '{"n":1}', "--no-follow", "--store", store])).code).toBe(0);
    fs.rmSync(path.join(dir, "handlers/gone.mjs"));
    const resume = await cli(["resume", "--once", "--store", store]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain(`cannot run 1 execution (orphan): handlers/gone.mjs#count: No such file: handlers/gone.mjs (looked in ${dir}). Run resume in the directory \`replayable run\` was started in.`);
    expect(resume.stdout).toMatch(/orphan +handlers\/gone\.mjs#count +cannot run here/);
    const shown = await cli(["show", "orphan", "--store", store]);
    expect(shown.stdout).toContain("status       RUNNING");
    expect((await cli(["resume", "--once", "--store", storeFor("never-made")])).stdout).toBe(`nothing to resume: there is no store at ${storeFor("never-made")}\n`);
  });
});

describe("an unusable --store or --limit", () => {
  it("every command that takes --store (or $REPLAYABLE_STORE) refuses a directory in one line, exit 4, naming the database file to give instead", async () => {
    const cwd = fs.realpathSync(fs.mkdtempSync(path.join(dir, "folder-store-")));
    fs.mkdirSync(path.join(cwd, ".replayable"));
    fs.copyFileSync(path.join(dir, "handlers/count.mjs"), path.join(cwd, "count.mjs"));
    const folder = path.join(cwd, ".replayable");
    const message = `${folder} is a directory, not a replayable store: give the database file itself, e.g. ${path.join(folder, "db.sqlite")} (the default store is .replayable/db.sqlite).\n`;
    const cases: Array<[string, string[], NodeJS.ProcessEnv]> = [
      ["list", ["list", "--store", ".replayable"], {}],
      ["list", ["list"], { REPLAYABLE_STORE: ".replayable" }],
      ["list", ["list", "--json", "--store", ".replayable/"], {}],
      ["show", ["show", "some-id", "--store", ".replayable"], {}],
      ["callback", ["callback", "some-callback", "--heartbeat"], { REPLAYABLE_STORE: ".replayable" }],
      ["resume", ["resume", "--once", "--store", ".replayable"], {}],
      ["resume", ["resume", "--store", ".replayable"], {}],
      ["run", ["run", "count.mjs", "--input", '{"n":1}', "--store", ".replayable"], {}],
    ];
    for (const [command, args, env] of cases) {
      const result = await runCli(build.bin, args, { cwd, env, timeoutMs: 20_000 });
      expect({ args, env, ...result }).toEqual({ args, env, code: 4, stdout: "", stderr: `replayable ${command}: ${message}` });
    }
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it("list --limit: a negative, fractional or non-numeric value gets the command's own message, exit 2; a missing value says so", async () => {
    const store = storeFor("limit-checks");
    for (const value of ["-1", "-0.5", "abc", "1.5", "1e2", "0x10"]) {
      for (const args of [["--limit", value], [`--limit=${value}`]]) {
        const result = await cli(["list", ...args, "--store", store]);
        expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: "" });
        expect(result.stderr).toMatch(new RegExp(`^replayable list: --limit must be a positive integer; got ${value.replace(/[.]/g, "\\.")}\n\nUsage: replayable list `));
      }
    }
    const forgotten = await cli(["list", "--limit", "--json", "--store", store]);
    expect(forgotten.code).toBe(2);
    expect(forgotten.stderr).toMatch(/^replayable list: --limit needs a value, but the argument after it starts with '-'; if that is the value, write --limit=<value>\n\nUsage: /);
    expect(await cli(["list", "--store", store, "--limit"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^replayable list: --limit needs a value\n/) });
    expect(fs.existsSync(store)).toBe(false);
  });
});

describe("replayable ids", () => {
  it("is the transformer's ids command, unchanged", async () => {
    const file = path.join(REPO, "fixtures/transform/callbacks/input.ts");
    const viaCli = await cli(["ids", "--json", file], REPO);
    const viaTransformer = await runCli(path.join(build.root, "dist/transformer/bin.js"), ["ids", "--json", file], { cwd: REPO });
    expect(viaCli.code).toBe(0);
    expect(viaCli.stdout).toBe(viaTransformer.stdout);
    expect(JSON.parse(viaCli.stdout).length).toBeGreaterThan(0);
    const bogus = await cli(["ids", "--bogus"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("Usage: replayable ids");
  });
});
