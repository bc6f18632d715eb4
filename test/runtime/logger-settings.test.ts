// Each context has its own logger settings, as in the AWS SDK 2.4.0 (DurableContextImpl keeps
// modeAwareLoggingEnabled per context; a child context inherits the parent's logger but starts
// mode-aware). configureLogger({ modeAware: false }) on the handler's context therefore does
// not make a child context's logger log while it replays; the child turns it on itself.
// (AWS conformance requirements 3-11 and 3-17 count those lines.)
import { describe, expect, it } from "vitest";
import { NestingType, withDurableExecution, type DurableContext, type DurableLogger } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";

function recordingLogger(lines: string[]): DurableLogger {
  return { info: (m: string) => lines.push(m), warn() {}, error() {}, debug() {} };
}

async function run(body: (ctx: DurableContext) => Promise<unknown>): Promise<void> {
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => body(ctx)) });
  const result = await runner.run();
  expect(result.getStatus()).toBe("SUCCEEDED");
}

describe("logger settings belong to their context", () => {
  it("a child context inherits the custom logger but not modeAware: false", async () => {
    const lines: string[] = [];
    await run(async (ctx) => {
      ctx.configureLogger({ customLogger: recordingLogger(lines), modeAware: false });
      ctx.logger.info("root");
      await ctx.runInChildContext("child", async (child) => {
        child.logger.info("child");
        await child.wait("pause", { seconds: 5 });
        child.logger.info("child after wait");
      });
    });
    // The root logs on every invocation (modeAware off); the child is replayed silently. (The
    // AWS SDK also logs "child" a second time: it counts a child context that has not finished
    // as executing, not replaying, so mode-aware logging does not silence it; replayable
    // silences every context while it replays. See conformance/DEVIATIONS.md.)
    expect(lines).toEqual(["root", "child", "root", "child after wait"]);
  });

  it("a child context turns replay logging on for itself only", async () => {
    const lines: string[] = [];
    await run(async (ctx) => {
      ctx.configureLogger({ customLogger: recordingLogger(lines) });
      ctx.logger.info("root");
      await ctx.runInChildContext("child", async (child) => {
        child.configureLogger({ modeAware: false });
        child.logger.info("child");
        await child.wait("pause", { seconds: 5 });
      });
      ctx.logger.info("root after child");
    });
    expect(lines).toEqual(["root", "child", "child", "root after child"]);
  });

  it("a custom logger set inside a child does not reach its parent", async () => {
    const root: string[] = [];
    const inner: string[] = [];
    await run(async (ctx) => {
      ctx.configureLogger({ customLogger: recordingLogger(root) });
      await ctx.runInChildContext("child", async (child) => {
        child.configureLogger({ customLogger: recordingLogger(inner) });
        child.logger.info("inner");
      });
      ctx.logger.info("outer");
    });
    expect({ root, inner }).toEqual({ root: ["outer"], inner: ["inner"] });
  });

  it("map items, nested or FLAT, are contexts of their own", async () => {
    for (const nesting of [NestingType.NESTED, NestingType.FLAT]) {
      const lines: string[] = [];
      await run(async (ctx) => {
        ctx.configureLogger({ customLogger: recordingLogger(lines), modeAware: false });
        await ctx.map([1], async (item) => {
          item.logger.info("item");
          await item.wait({ seconds: 5 });
        }, { nesting });
      });
      // Mode-aware in the item although the handler's context turned it off. (The AWS SDK logs
      // "item" again on the second invocation: the item had not finished; see above.)
      expect(lines, nesting).toEqual(["item"]);
    }
  });
});
