/**
 * A step that blocks the event loop longer than the lease, with two workers: the lease
 * cannot be renewed while it blocks, the other worker takes over, and before the fix the two
 * took it from each other forever. Each claim after an unfinished invocation holds a longer
 * lease, so the step finishes after a bounded number of starts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { SqliteStore } from "../../engine/index.js";
import { main } from "../../cli/bin.js";
import { startWorker, until } from "./worker-process.js";

async function showOutput(store: string, executionId: string): Promise<string> {
  let out = "";
  const stream = { write: (chunk: string) => ((out += chunk), true), isTTY: false } as unknown as NodeJS.WriteStream;
  await main(["show", executionId, "--store", store], { cwd: process.cwd(), env: { NO_COLOR: "1" }, stdout: stream, stderr: stream });
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "replayable-blocking-step-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two worker processes on one store run execution `id` (its step `semantics`); `whileRunning` runs meanwhile; both are given 20 s to end. */
async function twoWorkers(store: string, sideLog: string, id: string, semantics: "alo" | "amo", whileRunning: () => Promise<void> = async () => undefined): Promise<void> {
  const first = startWorker("blocking-step-worker.ts", [store, sideLog, "start", id, semantics]);
  const second = startWorker("blocking-step-worker.ts", [store, sideLog, "wait", id, semantics]);
  await until(() => first.output().includes("ready") && second.output().includes("ready"), "both workers to load", () => first.output() + second.output());
  writeFileSync(`${sideLog}.go`, "");
  await whileRunning();
  const timeout = setTimeout(() => {
    first.child.kill("SIGKILL");
    second.child.kill("SIGKILL");
  }, 20_000);
  await Promise.all([first.exited, second.exited]);
  clearTimeout(timeout);
}

it("two workers, a 1.5 s synchronous step, a 1 s lease: the execution ends within 20 s after at most 3 starts", async () => {
  const store = join(dir, "store.sqlite");
  const sideLog = join(dir, "starts.log");
  await twoWorkers(store, sideLog, "b-1", "alo", async () => {
    // While it runs: the store counts the takeover, and show says what is happening.
    let shown = "";
    const watcher = SqliteStore.open(store);
    for (let i = 0; i < 400 && !shown; i++) {
      if (((await watcher.getExecution("b-1"))?.expiredLeases ?? 0) > 0) shown = await showOutput(store, "b-1");
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await watcher.close();
    expect(shown).toMatch(/ {2}taken over {3}1 time in a row from a worker whose lease expired before it finished: it was killed, or a step blocks the event loop longer than the lease/);
  });
  const starts = readFileSync(sideLog, "utf8").trim().split("\n");
  const reader = SqliteStore.open(store);
  try {
    expect((await reader.getExecution("b-1"))?.status).toBe("SUCCEEDED");
    expect(starts.length).toBeLessThanOrEqual(3);
    const invocations = await reader.loadInvocations("b-1");
    expect(invocations.at(-1)?.outcome).toBe("SUCCEEDED");
  } finally {
    await reader.close();
  }
}, 30_000);

it("two workers, an at-most-once 1.5 s synchronous step, a 1 s lease: the execution ends within 20 s after at most 3 starts", async () => {
  // Before: each takeover's claim held a longer lease, but the interrupted at-most-once attempt
  // is retried after a delay, so the taker released the execution, and the release reset the
  // count: the retry's claim had the base lease again, and the two workers took the step from
  // each other forever (the crash torture's blocking mode: 14 starts in one round).
  const store = join(dir, "amo.sqlite");
  const sideLog = join(dir, "amo-starts.log");
  await twoWorkers(store, sideLog, "b-2", "amo");
  const starts = readFileSync(sideLog, "utf8").trim().split("\n");
  const reader = SqliteStore.open(store);
  try {
    expect([(await reader.getExecution("b-2"))?.status, starts.length <= 3]).toEqual(["SUCCEEDED", true]);
  } finally {
    await reader.close();
  }
}, 30_000);
