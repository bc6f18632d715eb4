/**
 * A really full disk under the CLI's store: the store lives on a 1 MiB tmpfs, mounted in a
 * private mount namespace (`unshare -rm`: no root needed where user namespaces are allowed),
 * and the step fills it before its checkpoint is written. The commit fails with SQLITE_FULL;
 * `run` must print one line per failure without a stack, keep the execution, and finish it
 * once space is freed (the engine retries), as it does for a busy lock.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildCli, cliEnv, type CliBuild } from "./cli-build.js";

let build: CliBuild;
let dir: string;

beforeAll(async () => {
  build = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-full-disk-"));
  fs.mkdirSync(path.join(dir, "handlers"));
  fs.mkdirSync(path.join(dir, "disk"));
  // The step fills the disk the first time it runs, then returns a value too big for what is left.
  fs.writeFileSync(
    path.join(dir, "handlers/filler.mjs"),
    `import { appendFileSync, existsSync, writeSync, openSync, closeSync } from "node:fs";
import { withDurableExecution } from "replayable";
export const filler = withDurableExecution(async (event, context) => {
  const report = await context.step("report", async () => {
    const first = !existsSync(event.marker);
    appendFileSync(event.marker, "started\\n");
    if (first) {
      const fd = openSync(event.filler, "w");
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if (error.code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
    }
    return "x".repeat(64 * 1024);
  });
  return { length: report.length };
});
`,
  );
}, 60_000);

afterAll(() => {
  build?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("run on a store whose disk fills up: one 'store busy … SQLITE_FULL' line per try, no stack, and the execution succeeds once space is freed", async () => {
  const disk = path.join(dir, "disk");
  const marker = path.join(dir, "full.marker");
  const free = path.join(dir, "free-the-disk");
  const input = JSON.stringify({ marker, filler: path.join(disk, "filler.bin") });
  // In the namespace: mount, run the CLI, and delete the filler once the test says so.
  const script = `set -e
mount -t tmpfs -o size=1m tmpfs "$DISK"
node "$BIN" run handlers/filler.mjs --id full-1 --input "$INPUT" --store "$DISK/db.sqlite" &
cli=$!
(while [ ! -e "$FREE" ]; do sleep 0.05; done; rm -f "$DISK/filler.bin") &
wait $cli
echo "status: $(node -e 'const D=require(process.argv[1]);const db=new D(process.argv[2],{readonly:true});console.log(JSON.stringify(db.prepare("SELECT status, result FROM executions").get()))' "$BETTER_SQLITE3" "$DISK/db.sqlite")"`;
  const child = spawn("unshare", ["-rm", "sh", "-c", script], {
    cwd: dir,
    env: cliEnv({ DISK: disk, BIN: build.bin, INPUT: input, FREE: free, BETTER_SQLITE3: path.join(build.root, "node_modules/better-sqlite3") }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (/SQLITE_FULL/.test(stderr) && !fs.existsSync(free)) fs.writeFileSync(free, "");
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(killer);

  expect(code, stderr).toBe(0);
  const fullLines = stderr.split("\n").filter((line) => line.includes("SQLITE_FULL"));
  // Once per kind of failure (the checkpoint, then the claims while the lease runs out), not once per retry.
  expect(fullLines.length, stderr).toBeGreaterThanOrEqual(1);
  expect(fullLines.length, stderr).toBeLessThanOrEqual(4);
  for (const line of fullLines) expect(line).toMatch(/^store busy( \(full-1\))?: .*db\.sqlite is full \(SQLITE_FULL\)\. Free space; nothing was lost\..* The engine retries\.( \(again; \d+ more times? since the last report\))?$/);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  const status = JSON.parse(stdout.split("\n").find((line) => line.startsWith("status: "))!.slice("status: ".length)) as { status: string; result: string };
  expect([status.status, JSON.parse(status.result)]).toEqual(["SUCCEEDED", { length: 65_536 }]);
  // The first run of the step filled the disk and its checkpoint failed; a retry ran it again.
  expect(fs.readFileSync(marker, "utf8").split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(2);
}, 150_000);
