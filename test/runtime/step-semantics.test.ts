import { describe, expect, it } from "vitest";
import { StepSemantics, type DurableContext, type OperationRecord } from "../../runtime/index.js";
import { MemoryJournalStore } from "../../testing/index.js";
import { invokeOnce, newExecution } from "./harness.js";

/** A store that dies (throws) when asked to save the first record matching `when`, like a process killed mid-checkpoint. */
class CrashingStore extends MemoryJournalStore {
  private crashed = false;
  constructor(
    private readonly base: MemoryJournalStore,
    private readonly when: (r: OperationRecord) => boolean,
  ) {
    super();
  }
  override load() {
    return this.base.load();
  }
  override save(r: OperationRecord) {
    if (!this.crashed && this.when(r)) {
      this.crashed = true;
      throw new Error("process killed");
    }
    this.base.save(r);
  }
}

const paymentHandler = (semantics: StepSemantics, runs: { count: number }, retry: boolean) => async (_e: unknown, ctx: DurableContext) => {
  try {
    return await ctx.step("charge", async () => ++runs.count, {
      semantics,
      retryStrategy: (error, attempt) => (retry && attempt < 3 ? { shouldRetry: true, delay: { seconds: 1 } } : { shouldRetry: false }),
    });
  } catch (e) {
    return { error: (e as Error).name, cause: ((e as Error).cause as Error | undefined)?.name };
  }
};

describe("step semantics under a crash after the body ran", () => {
  const crashOnSuccess = (r: OperationRecord) => r.Id === "charge#0" && r.Status === "SUCCEEDED";

  it("at-most-once checkpoints START first; the replay raises StepInterruptedError into the retry strategy", async () => {
    const store = newExecution();
    const runs = { count: 0 };
    const crashed = await invokeOnce(paymentHandler(StepSemantics.AtMostOncePerRetry, runs, false), new CrashingStore(store, crashOnSuccess) as never);
    expect(crashed.status).toBe("FAILED");
    expect(store.get("charge#0")?.Status).toBe("STARTED");
    expect(runs.count).toBe(1);

    const replay = await invokeOnce(paymentHandler(StepSemantics.AtMostOncePerRetry, runs, false), store);
    expect(replay).toMatchObject({ status: "SUCCEEDED", result: JSON.stringify({ error: "StepError", cause: "StepInterruptedError" }) });
    expect(runs.count).toBe(1); // never charged twice
    expect(store.get("charge#0")?.Status).toBe("FAILED");
  });

  it("at-most-once with retries schedules a new attempt instead of failing", async () => {
    const store = newExecution();
    const runs = { count: 0 };
    await invokeOnce(paymentHandler(StepSemantics.AtMostOncePerRetry, runs, true), new CrashingStore(store, crashOnSuccess) as never);
    const replay = await invokeOnce(paymentHandler(StepSemantics.AtMostOncePerRetry, runs, true), store);
    expect(replay.status).toBe("PENDING");
    expect(store.get("charge#0")).toMatchObject({ Status: "PENDING", StepDetails: { Attempt: 1, Error: { ErrorType: "StepInterruptedError" } } });
    const retried = await invokeOnce(paymentHandler(StepSemantics.AtMostOncePerRetry, runs, true), store, 1_000_000 + 1_000);
    expect(retried).toMatchObject({ status: "SUCCEEDED", result: "2" });
    expect(store.get("charge#0")?.StepDetails?.Attempt).toBe(2);
  });

  it("at-least-once records its START without waiting for it; a crash before the result runs the body again on replay", async () => {
    const store = newExecution();
    const runs = { count: 0 };
    const crashed = await invokeOnce(paymentHandler(StepSemantics.AtLeastOncePerRetry, runs, false), new CrashingStore(store, crashOnSuccess) as never);
    expect(crashed.status).toBe("FAILED");
    expect(store.get("charge#0")?.Status).toBe("STARTED");
    const replay = await invokeOnce(paymentHandler(StepSemantics.AtLeastOncePerRetry, runs, false), store);
    expect(replay).toMatchObject({ status: "SUCCEEDED", result: "2" });
    expect(runs.count).toBe(2);
  });
});
