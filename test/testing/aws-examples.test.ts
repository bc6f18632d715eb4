// AWS's own example tests (../shared/real-world/aws-examples, read in place) with their imports
// mapped to replayable and replayable/testing, run under vitest in a child process: every test
// that passes on the official packages (official-baseline.json) must pass here, history
// signatures included, except those listed in notYetPassing with the difference that explains it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExamples, type ExampleOutcome } from "./aws-examples/run-examples.js";

const baseline: { passingOnOfficial: string[]; notPassingOnOfficial: Record<string, string> } = JSON.parse(
  readFileSync(new URL("./aws-examples/official-baseline.json", import.meta.url), "utf8"),
);

/** Official-passing tests that fail on replayable today, each with the reason (issue 15's difference number). */
const notYetPassing: Record<string, string> = {
  "force-checkpointing/callback/force-checkpointing-callback.test.ts > force-checkpointing-callback (local) should complete with force checkpointing when one branch blocks termination with multiple callbacks":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/invoke/force-checkpointing-invoke.test.ts > force-checkpointing-invoke (local) should complete with force checkpointing when one branch blocks termination with multiple invokes":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/multiple-wait/force-checkpointing-multiple-wait.test.ts > force-checkpointing-multiple-wait (local) should complete with force checkpointing when one branch blocks termination with multiple waits":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/step-retry/force-checkpointing.test.ts > force-checkpointing (local) should complete with force checkpointing when one branch blocks termination":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "simple-execution/simple-execution.test.ts > simple-execution test (local) should execute simple handler without operations":
    "deliberate: the replay check fails a handler that returns Date.now() outside any step",
  "wait/unawaited/wait-unawaited.test.ts > wait-unawaited (local) should not hang if a long wait is scheduled before the function completes":
    "4: an un-awaited wait is completed in a second invocation",
};

describe("AWS's example tests on replayable/testing", () => {
  let outcomes: Map<string, ExampleOutcome>;

  it("run, and every test that passes on the official packages passes on replayable", { timeout: 600_000 }, async () => {
    outcomes = await runExamples("replayable");
    const failing = baseline.passingOnOfficial.filter((id) => outcomes.get(id)?.status !== "passed");
    const unexplained = failing.filter((id) => !(id in notYetPassing)).map((id) => `${id}: ${outcomes.get(id)?.message ?? "did not run"}`);
    expect(unexplained, "official-passing tests failing on replayable").toEqual([]);
    const nowPassing = Object.keys(notYetPassing).filter((id) => !failing.includes(id));
    expect(nowPassing, "tests listed in notYetPassing that pass now: remove them from the list").toEqual([]);
    console.log(`${baseline.passingOnOfficial.length - failing.length} of ${baseline.passingOnOfficial.length} official-passing AWS example tests pass on replayable`);
  });

  it("the baseline accounts for every example test: passing on official, or a reason why not", () => {
    const known = new Set([...baseline.passingOnOfficial, ...Object.keys(baseline.notPassingOnOfficial)]);
    expect([...outcomes.keys()].filter((id) => !known.has(id))).toEqual([]);
    expect([...known].filter((id) => !outcomes.has(id))).toEqual([]);
  });
});
