import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";

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
    const handler = withDurableExecution(async (_e: unknown, ctx: DurableContext) => {
      // Held in the handler's frame across the suspension.
      const held = { payload: new Array(1000).fill(1) };
      refs.push(new WeakRef(held));
      await ctx.wait("w", { seconds: 1 });
      await Promise.all([ctx.wait("w2", { seconds: 1 }), ctx.step("s", async () => 1)]);
      return held.payload.length;
    });
    for (let i = 0; i < 5; i++) {
      const result = await new LocalDurableTestRunner({ handlerFunction: handler }).run();
      expect(result.getResult()).toBe(1000);
    }
    // Every invocation and replay check ran the handler; the suspended ones never resumed.
    expect(refs.length).toBeGreaterThan(10);
    expect(await liveAfterGc(refs)).toBe(0);
  });
});
