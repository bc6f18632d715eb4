/**
 * A worker whose event loop was blocked past its lease may have lost the execution to another
 * worker without knowing it: nothing it commits lands (fencing), but a step body or a plain
 * function it starts runs for real. The engine measures the lease on the monotonic clock since
 * the claim was last confirmed and starts neither once a lease's length has passed. Here the
 * loop is really blocked (a busy wait right after the store answers) at the worst moment.
 */
import { expect, it } from "vitest";
import { createEngine, MemoryStore } from "../../engine/index.js";
import type { CommitBatch } from "../../engine/index.js";
import { StepSemantics, withDurableExecution } from "../../runtime/index.js";

const LEASE_MS = 300;

function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: no timer, no renewal, no I/O callback runs meanwhile
  }
}

it("an at-most-once step whose START was committed right before the loop blocked past the lease: attempt 1's body never starts, attempt 2 runs after the re-claim", async () => {
  const store = new MemoryStore();
  const commit = store.commit.bind(store);
  let blocked = false;
  store.commit = async (batch: CommitBatch) => {
    await commit(batch);
    if (!blocked && batch.operations.some((r) => r.Type === "STEP" && r.Status === "STARTED")) {
      blocked = true;
      blockEventLoop(LEASE_MS + 150);
    }
  };
  const attempts: number[] = [];
  const handler = withDurableExecution(async (_event, context) =>
    context.step(
      "charge",
      async (step) => {
        attempts.push(step.attempt);
        return "charged";
      },
      { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 1 } }) },
    ),
  );
  const engine = createEngine({ store, functions: { handler }, leaseMs: LEASE_MS, pollMs: 20 });
  const expired: string[] = [];
  engine.subscribe((event) => event.type === "claim-expired" && expired.push(`${event.executionId} epoch ${event.epoch}`));
  try {
    await engine.start("handler", {}, { executionId: "amo-1" });
    const ended = await engine.waitForExecution("amo-1", { timeoutMs: 15_000 });
    expect({ status: ended.status, result: ended.result, attempts }).toEqual({ status: "SUCCEEDED", result: '"charged"', attempts: [2] });
    expect(expired).toEqual(["amo-1 epoch 1"]); // reported, so a worker's log and the crash torture's evidence show it
  } finally {
    await engine.close();
  }
}, 20_000);

it("a plain function's dispatch claimed right before the loop blocked past the claim's length: the function starts only under a claim younger than a lease", async () => {
  const store = new MemoryStore();
  const claimDispatch = store.claimDispatch.bind(store);
  const claimedAt: number[] = [];
  store.claimDispatch = async (...args: Parameters<MemoryStore["claimDispatch"]>) => {
    const answer = await claimDispatch(...args);
    if (answer.claimed && args[2] !== "done") {
      claimedAt.push(performance.now());
      if (claimedAt.length === 1) blockEventLoop(LEASE_MS + 150);
    }
    return answer;
  };
  const startedAfterClaim: number[] = [];
  const add = async (event: { n: number }) => {
    startedAfterClaim.push(performance.now() - claimedAt.at(-1)!);
    return event.n + 1;
  };
  const parent = withDurableExecution(async (_event, context) => context.invoke("add", "add", { n: 41 }));
  const engine = createEngine({ store, functions: { parent, add }, leaseMs: LEASE_MS, pollMs: 20 });
  try {
    await engine.start("parent", {}, { executionId: "plain-1" });
    const ended = await engine.waitForExecution("plain-1", { timeoutMs: 15_000 });
    expect(ended.result).toBe("42");
    expect(startedAfterClaim).toHaveLength(1);
    expect(startedAfterClaim[0]).toBeLessThan(LEASE_MS);
  } finally {
    await engine.close();
  }
}, 20_000);

/** A plain function runs on while its dispatch claim expires; "other-worker" takes the claim, runs it and marks it done (and, with `ended`, the execution ends with that outcome) before the function returns. */
async function dispatchTakenWhileRunning(executionId: string, ended: boolean): Promise<string[]> {
  const store = new MemoryStore();
  const claimDispatch = store.claimDispatch.bind(store);
  let renewalsStalled = false;
  // This worker's renewals stall (its process starved), as far as the store can tell.
  store.claimDispatch = async (...args: Parameters<MemoryStore["claimDispatch"]>) => {
    if (renewalsStalled && args[2] !== "other-worker" && args[2] !== "done") return { claimed: true, expiresAt: args[3] + args[4] };
    return claimDispatch(...args);
  };
  let release: () => void = () => undefined;
  let running = false;
  const add = async (event: { n: number }) => {
    running = true;
    renewalsStalled = true;
    await new Promise<void>((resolve) => (release = resolve));
    renewalsStalled = false;
    return event.n + 1;
  };
  const parent = withDurableExecution(async (_event, context) => context.invoke("add", "add", { n: 41 }));
  const engine = createEngine({ store, functions: { parent, add }, leaseMs: LEASE_MS, pollMs: 20 });
  const lost: string[] = [];
  engine.subscribe((event) => event.type === "dispatch-claim-lost" && lost.push(`${event.executionId} ${event.operationId}`));
  try {
    await engine.start("parent", {}, { executionId });
    while (!running) await new Promise((resolve) => setTimeout(resolve, 10));
    const operationId = (await engine.operations(executionId)).find((r) => r.Type === "CHAINED_INVOKE")!.Id;
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100)); // the claim runs out in the store
    expect((await claimDispatch(executionId, operationId, "other-worker", Date.now(), LEASE_MS)).claimed).toBe(true);
    if (ended) {
      await store.addSignal({ executionId, operationId, outcome: { kind: "invoke-succeeded", result: "42" }, at: Date.now() });
      expect((await engine.waitForExecution(executionId, { timeoutMs: 10_000 })).result).toBe("42");
    } else {
      expect((await claimDispatch(executionId, operationId, "done", Date.now(), 60_000, "other-worker")).claimed).toBe(true);
    }
    release();
    await engine.waitForExecution(executionId, { timeoutMs: 10_000 });
    for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return lost.map((entry) => entry.replace(operationId, "<invoke>"));
  } finally {
    await engine.close();
  }
}

it("a plain function that ran on while another worker took its dispatch claim and marked it done: the engine reports the lost claim", async () => {
  expect(await dispatchTakenWhileRunning("plain-2", false)).toEqual(["plain-2 <invoke>"]);
}, 20_000);

it("the same when the execution already ended with the other worker's outcome (its dispatch rows are gone)", async () => {
  expect(await dispatchTakenWhileRunning("plain-3", true)).toEqual(["plain-3 <invoke>"]);
}, 20_000);

it("a claim made while this worker still finishes its previous run of the execution counts its lease from the claim, not from when that run has finished (torture seed 20261212, round 518)", async () => {
  // The worker released the execution and claimed it again at once (its retry was due) while
  // the previous run was still finishing; the new run waits for the old one, and here the
  // event loop blocks past the lease in between and another worker takes the execution over.
  // The lease ran from the claim, so the new run must not start the step once it gets going.
  const store = new MemoryStore();
  let offset = 0;
  const clock = () => Date.now() + offset;
  const commit = store.commit.bind(store);
  store.commit = async (batch: CommitBatch) => {
    await commit(batch);
    if (batch.release && batch.executionId === "again-1" && batch.invocation?.invocation === 1) {
      offset += 2_000; // the retry is due now
      await new Promise((resolve) => setTimeout(resolve, 100)); // the first run finishes late
    }
  };
  const claimDue = store.claimDue.bind(store);
  let blocked = false;
  store.claimDue = async (...args: Parameters<MemoryStore["claimDue"]>) => {
    const leases = await claimDue(...args);
    if (!blocked && leases.some((l) => l.executionId === "again-1" && l.epoch === 2)) {
      blocked = true;
      blockEventLoop(LEASE_MS + 150);
      // Meanwhile another worker took the expired lease over (and then died): epoch 3.
      expect(await store.claim("again-1", "another-host/1/worker", clock(), LEASE_MS)).toMatchObject({ epoch: 3 });
    }
    return leases;
  };
  const attempts: number[] = [];
  const handler = withDurableExecution(async (_event, context) =>
    context.step(
      "flaky",
      async (step) => {
        attempts.push(step.attempt);
        if (step.attempt === 1) throw new Error("first attempt fails");
        return "done";
      },
      { retryStrategy: (_error, attempt) => ({ shouldRetry: attempt < 3, delay: { seconds: 1 } }) },
    ),
  );
  const engine = createEngine({ store, functions: { handler }, leaseMs: LEASE_MS, pollMs: 20, clock });
  const expired: string[] = [];
  engine.subscribe((event) => event.type === "claim-expired" && expired.push(`${event.executionId} epoch ${event.epoch}`));
  try {
    await engine.start("handler", {}, { executionId: "again-1" });
    const ended = await engine.waitForExecution("again-1", { timeoutMs: 15_000 });
    expect(blocked).toBe(true);
    // Attempt 2 ran once, under the claim after the other worker's; never under epoch 2.
    expect({ status: ended.status, attempts, expired }).toEqual({ status: "SUCCEEDED", attempts: [1, 2], expired: ["again-1 epoch 2"] });
  } finally {
    await engine.close();
  }
}, 20_000);
