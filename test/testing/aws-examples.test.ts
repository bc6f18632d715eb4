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
  "context-validation/parent-context-in-child/parent-context-in-child.test.ts > context validation - parent context in child error (local) should fail when using parent context directly in child":
    "8: context-misuse message differs from the official wording",
  "context-validation/parent-context-in-step/parent-context-in-step.test.ts > context validation - parent context in step error (local) should fail when using parent context inside step function":
    "8: context-misuse message differs from the official wording",
  "context-validation/parent-context-in-wait-condition/parent-context-in-wait-condition.test.ts > context validation - parent context in wait condition error (local) should fail when using parent context inside waitForCondition":
    "8: context-misuse message differs from the official wording",
  "create-callback/heartbeat/create-callback-heartbeat.test.ts > create-callback-heartbeat test (local) should handle callback heartbeats during long-running tasks":
    "2: virtual time expires the callback's heartbeat while the test acts in real time",
  "create-callback/simple/create-callback.test.ts > create-callback test (local) function completes when callback fails with undefined error message - edge case":
    "9: sendCallbackFailure(undefined) invents error fields",
  "force-checkpointing/callback/force-checkpointing-callback.test.ts > force-checkpointing-callback (local) should complete with force checkpointing when one branch blocks termination with multiple callbacks":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/invoke/force-checkpointing-invoke.test.ts > force-checkpointing-invoke (local) should complete with force checkpointing when one branch blocks termination with multiple invokes":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/multiple-wait/force-checkpointing-multiple-wait.test.ts > force-checkpointing-multiple-wait (local) should complete with force checkpointing when one branch blocks termination with multiple waits":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "force-checkpointing/step-retry/force-checkpointing.test.ts > force-checkpointing (local) should complete with force checkpointing when one branch blocks termination":
    "3: replayable ends the invocation and replays where the official SDK force-checkpoints within one invocation",
  "invoke/simple/invoke-simple.test.ts > invoke-simple (local) should run invoke with non-durable function success":
    "7: ctx.invoke without a payload hands the invoked function undefined (official {})",
  "logger-test/log-levels/logger-log-levels.test.ts > logger-log-levels (local) should respect AWS_LAMBDA_LOG_LEVEL=ERROR and disable DEBUG/INFO/WARN logs":
    "5: the default logger ignores AWS_LAMBDA_LOG_LEVEL and writes no JSON lines",
  "logger-test/log-levels/logger-log-levels.test.ts > logger-log-levels (local) should respect AWS_LAMBDA_LOG_LEVEL=INFO and disable DEBUG logs":
    "5: the default logger ignores AWS_LAMBDA_LOG_LEVEL and writes no JSON lines",
  "logger-test/log-levels/logger-log-levels.test.ts > logger-log-levels (local) should respect AWS_LAMBDA_LOG_LEVEL=WARN and disable DEBUG/INFO logs":
    "5: the default logger ignores AWS_LAMBDA_LOG_LEVEL and writes no JSON lines",
  "logger-test/powertools-logger/powertools-logger.test.ts > powertools-logger (local) should execute successfully with all log levels":
    "5/6: log data (getDurableLogData) differs from the official",
  "simple-execution/simple-execution.test.ts > simple-execution test (local) should execute simple handler without operations":
    "deliberate: the replay check fails a handler that returns Date.now() outside any step",
  "wait-for-callback/basic/wait-for-callback.test.ts > wait-for-callback test (local) function completes when callback fails - happy case":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/basic/wait-for-callback.test.ts > wait-for-callback test (local) function completes when callback succeeds - happy case":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/child-context/wait-for-callback-child-context.test.ts > wait-for-callback-child-context test (local) should handle waitForCallback within child contexts":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/mixed-ops/wait-for-callback-mixed-ops.test.ts > wait-for-callback-mixed-ops test (local) should handle waitForCallback mixed with steps, waits, and other operations":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/nested/wait-for-callback-nested.test.ts > wait-for-callback-nested test (local) should handle nested waitForCallback operations in child contexts":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/serdes/wait-for-callback-serdes.test.ts > wait-for-callback-serdes test (local) should handle waitForCallback with custom serdes configuration":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/submitter-retry-success/wait-for-callback-submitter-retry-success.test.ts > wait-for-callback-submitter-retry-success test (local) should complete successfully when submitter succeeds":
    "1: waitForData(STARTED) on a waitForCallback resolves before the callback exists",
  "wait-for-callback/submitter-retry-success/wait-for-callback-submitter-retry-success.test.ts > wait-for-callback-submitter-retry-success test (local) should fail after exhausting retries when submitter always fails":
    "10: the previous test's run() is still in flight (difference 1), and reset() does not end it: \"This runner is already running an execution\"",
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
