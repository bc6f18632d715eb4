// An at-least-once step whose body ends within the event loop's turn costs the engine one
// commit (one SQLite transaction, one fsync), not two: its START and SUCCEED go in the same
// batch, and the history still shows both states in order. At-most-once keeps two.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, SqliteStore, type CommitBatch } from "../../engine/index.js";
import { StepSemantics, withDurableExecution } from "../../runtime/index.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-one-commit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Runs a handler of three steps on a real SqliteStore and returns the step states of each commit. */
async function stepCommits(semantics?: StepSemantics) {
  const store = SqliteStore.open(join(dir, `one-commit-${++files}.sqlite`));
  const commits: string[][] = [];
  const commit = store.commit.bind(store);
  store.commit = (batch: CommitBatch) => {
    const steps = batch.operations.filter((r) => r.Type === "STEP").map((r) => `${r.Name}:${r.Status}`);
    if (steps.length > 0) commits.push(steps);
    return commit(batch);
  };
  const flow = withDurableExecution(async (_event, context) => {
    let total = 0;
    for (const name of ["a", "b", "c"]) total += await context.step(name, async () => total + 1, { semantics });
    return total;
  });
  const engine = createEngine({ store, functions: { flow } });
  try {
    const execution = await engine.start("flow");
    const done = await engine.waitForExecution(execution.executionId, { timeoutMs: 10_000 });
    expect(done.status).toBe("SUCCEEDED");
    const history = (await engine.history(execution.executionId)).filter((u) => u.record.Type === "STEP").map((u) => `${u.record.Name}:${u.record.Status}`);
    return { commits, history };
  } finally {
    await engine.close();
    await store.close();
  }
}

describe("one commit per at-least-once step (engine on SqliteStore)", () => {
  it("commits each step's START and SUCCEED together; the history keeps both, in order", async () => {
    const { commits, history } = await stepCommits();
    expect(commits).toEqual([
      ["a:STARTED", "a:SUCCEEDED"],
      ["b:STARTED", "b:SUCCEEDED"],
      ["c:STARTED", "c:SUCCEEDED"],
    ]);
    expect(history).toEqual(["a:STARTED", "a:SUCCEEDED", "b:STARTED", "b:SUCCEEDED", "c:STARTED", "c:SUCCEEDED"]);
  });

  it("an at-most-once step still commits its START before its body runs: two commits", async () => {
    const { commits, history } = await stepCommits(StepSemantics.AtMostOncePerRetry);
    expect(commits).toEqual([["a:STARTED"], ["a:SUCCEEDED"], ["b:STARTED"], ["b:SUCCEEDED"], ["c:STARTED"], ["c:SUCCEEDED"]]);
    expect(history).toEqual(["a:STARTED", "a:SUCCEEDED", "b:STARTED", "b:SUCCEEDED", "c:STARTED", "c:SUCCEEDED"]);
  });
});
