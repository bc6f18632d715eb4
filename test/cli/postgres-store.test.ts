/**
 * The commands on a PostgreSQL store (--store postgres://... and $REPLAYABLE_STORE): run,
 * resume, show, callback and list in separate processes on one database, as on a file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPgStoreUrl } from "../engine/stores/pg-test-store.js";
import { buildCli, REPO, runCli, startCli, type CliBuild } from "./cli-build.js";

let build: CliBuild;
beforeAll(async () => {
  build = await buildCli();
}, 60_000);
afterAll(() => build?.remove());

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(build.bin, args, { cwd: REPO, env });
const redacted = (url: string) => url.replace(/:[^:@/]*@/, ":***@");

describe("replayable on a PostgreSQL store", () => {
  it("runs the approval example across processes: a following run, a callback from another process, list through $REPLAYABLE_STORE", async () => {
    const store = newPgStoreUrl();
    const input = '{"expenseId":"e-1","amountCents":900,"approver":"dana@example.com"}';
    const run = startCli(build.bin, ["run", "examples/run/expense-approval.ts", "--id", "exp-pg", "--input", input, "--store", store], { cwd: REPO });
    await run.until(/asked dana@example.com to approve expense e-1/);
    const shown = await cli(["show", "exp-pg", "--json", "--store", store]);
    const { operations } = JSON.parse(shown.stdout) as { operations: Array<{ record: { Type: string; Status: string; CallbackDetails?: { CallbackId: string } } }> };
    const callbackId = operations.find((o) => o.record.Type === "CALLBACK" && o.record.Status === "STARTED")!.record.CallbackDetails!.CallbackId;
    const human = await cli(["show", "exp-pg", "--store", store]);
    // Suggested commands name the store without its password.
    expect(human.stdout).toContain(`replayable callback ${callbackId} --store '${redacted(store)}' --succeed`);
    expect(human.stdout).not.toContain("replayable-test@");

    expect(await cli(["callback", callbackId, "--succeed", '{"approved":true}', "--store", store])).toMatchObject({ code: 0 });
    // The following run process learns of the callback through the database and finishes.
    expect((await run.exited).code).toBe(0);
    expect(run.output().stdout).toMatch(/✓ SUCCEEDED in \d+s \(2 invocations\)/);

    const listed = await cli(["list", "--json"], { REPLAYABLE_STORE: store });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ executionId: string; status: string }>).map((e) => [e.executionId, e.status])).toEqual([["exp-pg", "SUCCEEDED"]]);
  });

  it("refuses an unreachable server and backup with exit code 4 / 2 and the fix, never printing the password", async () => {
    const down = await cli(["list", "--store", "postgres://me:secret@127.0.0.1:1/db"]);
    expect(down.code).toBe(4);
    expect(down.stderr).toContain("Cannot reach the PostgreSQL store postgres://me:***@127.0.0.1:1/db (ECONNREFUSED");
    expect(down.stderr).not.toContain("secret");
    const backup = await cli(["backup", "copy.sqlite", "--store", newPgStoreUrl()]);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain("back it up with pg_dump");
  });
});
