import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { startInvocation } from "../../runtime/run-invocation.js";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { newExecution } from "./harness.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Collects garbage until every weak reference is cleared or the attempts run out; returns the live count. */
async function liveAfterGc(refs: WeakRef<object>[]): Promise<number> {
  for (let i = 0; i < 10; i++) {
    // WeakRef targets stay alive until the job that dereferenced them ends.
    await nextMacrotask();
    gc();
    if (refs.every((r) => r.deref() === undefined)) return 0;
  }
  return refs.filter((r) => r.deref() !== undefined).length;
}

describe("memory", () => {
  it("a suspended invocation's handler frame is garbage once the execution completes", async () => {
    const refs: WeakRef<object>[] = [];
    const handler = heldAcrossSuspensions(refs);
    for (let i = 0; i < 5; i++) {
      const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
      expect(result.getResult()).toBe(1000);
    }
    // Every invocation and replay check ran the handler; the suspended ones never resumed.
    expect(refs.length).toBeGreaterThan(10);
    expect(await liveAfterGc(refs)).toBe(0);
  });

  it("resumed warm, the handler frames are garbage once the execution completes", async () => {
    const refs: WeakRef<object>[] = [];
    const handler = heldAcrossSuspensions(refs);
    for (let i = 0; i < 5; i++) {
      const result = await new LocalDurableTestRunner({ handlerFunction: handler, resumption: "warm" }).run();
      expect(result.getResult()).toBe(1000);
    }
    expect(refs.length).toBeGreaterThan(10);
    expect(await liveAfterGc(refs)).toBe(0);
  });

  it("closing a live invocation releases the awaits it left suspended", async () => {
    const refs: WeakRef<object>[] = [];
    const store = newExecution();
    let now = 0;
    const live = startInvocation({
      store,
      executionArn: "arn:test:execution/memory",
      clock: () => now,
      handler: async (_e: unknown, ctx: DurableContext) => {
        const loser = async () => {
          const held = { payload: new Array(1000).fill(1) };
          refs.push(new WeakRef(held));
          await ctx.wait("long", { hours: 1 });
          return held.payload.length;
        };
        return Promise.race([loser(), ctx.wait("short", { seconds: 1 }).then(() => 0)]);
      },
    });
    expect((await live.next()).status).toBe("PENDING");
    now = 1_000;
    store.save({ ...store.get("short#0")!, Status: "SUCCEEDED" });
    live.deliver([store.get("short#0")!]);
    expect(await live.next()).toMatchObject({ status: "SUCCEEDED", result: "0" });
    // The lost branch still waits on "long": the open invocation holds its frame...
    expect(await liveAfterGc(refs)).toBe(1);
    live.close();
    // ...until it is closed.
    expect(await liveAfterGc(refs)).toBe(0);
  });
});

/** A handler that holds an object in its frame across two suspensions; refs collects one per run. */
function heldAcrossSuspensions(refs: WeakRef<object>[]) {
  return withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
    const held = { payload: new Array(1000).fill(1) };
    refs.push(new WeakRef(held));
    await ctx.wait("w", { seconds: 1 });
    await Promise.all([ctx.wait("w2", { seconds: 1 }), ctx.step("s", async () => 1)]);
    return held.payload.length;
  });
}
