/**
 * A plain function invoked by a handler runs once per invoke when several engines share the
 * store: the dispatch is claimed in the store, not remembered in one process's memory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-invoke-dispatch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("two engines on one store: the second engine, woken by the handler's wait while the first runs the plain function, does not run it again", async () => {
  const path = join(dir, "store.sqlite");
  let started = 0;
  let release: () => void = () => undefined;
  const slow = async (event: { n: number }) => {
    started += 1;
    await new Promise<void>((resolve) => (release = resolve));
    return event.n + 1;
  };
  const parent = withDurableExecution(async (_event, context) => {
    const [sum] = await context.promise.all([context.invoke("add", "slow", { n: 41 }), context.wait("tick", { seconds: 1 })]);
    return sum;
  });
  const stores = [SqliteStore.open(path), SqliteStore.open(path)];
  const first = createEngine({ store: stores[0]!, functions: { parent, slow }, pollMs: 20, resumption: "replay" });
  await first.start("parent", {}, { executionId: "p-1" });
  while (started === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  // The first engine stops claiming; its plain function goes on. The second takes the execution when the wait ends.
  await first.close();
  const second = createEngine({ store: stores[1]!, functions: { parent, slow }, pollMs: 20, resumption: "replay" });
  try {
    for (let i = 0; i < 100 && (await second.invocations("p-1")).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await second.invocations("p-1")).length).toBeGreaterThanOrEqual(2); // the second engine ran the handler after the wait
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(started).toBe(1);
    release();
    const ended = await second.waitForExecution("p-1", { timeoutMs: 10_000 });
    expect(ended.result).toBe("42");
    expect(started).toBe(1);
  } finally {
    await second.close();
    for (const s of stores) await s.close();
  }
});
