/**
 * What replayable's configs must report on AWS's example handlers
 * (../shared/real-world/aws-examples, read in place), each finding with why it is a replay hazard.
 * Judged by one test: a rule in `recommended` reports a real replay hazard, or it is not there.
 */
export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly reason: string;
}

const EXAMPLES = "src/examples";

/** `recommended` (and, the same, every config). */
export const RECOMMENDED: readonly ExpectedFinding[] = [
  {
    file: `${EXAMPLES}/context-validation/parent-context-in-child/parent-context-in-child.ts`,
    line: 27,
    rule: "no-outer-context-in-child",
    reason: "the parent's context is used inside runInChildContext (written wrong on purpose): the AWS SDK throws a context usage error",
  },
  {
    file: `${EXAMPLES}/context-validation/parent-context-in-step/parent-context-in-step.ts`,
    line: 36,
    rule: "no-nested-durable-operation",
    reason: "context.step inside a step function (on purpose): steps cannot hold operations, and a retry issues it again",
  },
  {
    file: `${EXAMPLES}/context-validation/parent-context-in-wait-condition/parent-context-in-wait-condition.ts`,
    line: 29,
    rule: "no-nested-durable-operation",
    reason: "context.step inside a waitForCondition check (on purpose): check code is step code",
  },
  {
    file: `${EXAMPLES}/force-checkpointing/step-retry/force-checkpointing.ts`,
    line: 29,
    rule: "no-captured-mutation-in-step",
    reason: "attemptCount++ in a step: on replay the step is skipped and the handler sees 0 again",
  },
  {
    file: `${EXAMPLES}/wait/unawaited/wait-unawaited.ts`,
    line: 18,
    rule: "no-floating-durable-operation",
    reason: "void context.wait(...): the wait is abandoned when the handler returns",
  },
  {
    file: `${EXAMPLES}/wait/unawaited/wait-unawaited.ts`,
    line: 22,
    rule: "no-timers",
    reason: "a setTimeout sleep in orchestration code: not recorded, slept again on every replay, lost if the execution suspends during it",
  },
  {
    file: `${EXAMPLES}/run-in-child-context/checkpoint-size-limit/run-in-child-context-checkpoint-size-limit.ts`,
    line: 34,
    rule: "no-native-promise-combinator",
    reason: "Promise.all over 100 child contexts, which can fail: which failure rejects first is decided by timing on the first run and by replay order later",
  },
];

/** log() of src/utils/logger.ts, a console.log, called from orchestration code (file, lines). */
const LOG_CALLS: readonly (readonly [string, readonly number[]])[] = [
  [`${EXAMPLES}/block-example/block-example.ts`, [15, 21, 36, 52]],
  [`${EXAMPLES}/comprehensive-operations/comprehensive-operations.ts`, [27]],
  [`${EXAMPLES}/concurrent/wait/concurrent-wait.ts`, [15, 21]],
  [`${EXAMPLES}/context-validation/parent-context-in-child/parent-context-in-child.ts`, [16, 22]],
  [`${EXAMPLES}/context-validation/parent-context-in-step/parent-context-in-step.ts`, [16, 22]],
  [`${EXAMPLES}/context-validation/parent-context-in-wait-condition/parent-context-in-wait-condition.ts`, [16, 21]],
  [`${EXAMPLES}/create-callback/simple/create-callback.ts`, [20]],
  [`${EXAMPLES}/hello-world/hello-world.ts`, [15]],
  [`${EXAMPLES}/map/min-successful/map-min-successful.ts`, [17, 38, 39]],
  [`${EXAMPLES}/map/tolerated-failure-count/map-tolerated-failure-count.ts`, [18, 45, 46]],
  [`${EXAMPLES}/map/tolerated-failure-percentage/map-tolerated-failure-percentage.ts`, [19, 46, 49]],
  [`${EXAMPLES}/map-completion-config-issue/map-completion-config-issue.ts`, [31, 32, 41, 78, 79, 80, 81, 82, 83, 84]],
  [`${EXAMPLES}/parallel/min-successful/parallel-min-successful.ts`, [15, 54, 55]],
  [`${EXAMPLES}/parallel/min-successful-with-callback/parallel-min-successful-callback.ts`, [22, 28, 35]],
  [`${EXAMPLES}/parallel/tolerated-failure-count/parallel-tolerated-failure-count.ts`, [17, 65, 66]],
  [`${EXAMPLES}/parallel/tolerated-failure-percentage/parallel-tolerated-failure-percentage.ts`, [17, 65, 68]],
  [`${EXAMPLES}/parallel/wait/parallel-wait.ts`, [15, 24]],
  [`${EXAMPLES}/promise/combinators/promise-combinators.ts`, [37, 59, 65, 68, 80, 83, 100, 103, 132, 134]],
  [`${EXAMPLES}/step/steps-with-retry/steps-with-retry.ts`, [78]],
  [`${EXAMPLES}/wait/basic/wait.ts`, [15, 17]],
  [`${EXAMPLES}/wait/named/wait-named.ts`, [15, 17]],
  [`${EXAMPLES}/wait-for-callback/basic/wait-for-callback.ts`, [19, 27]],
];

/**
 * What `recommended-type-checked` adds: it follows log() into src/utils/logger.ts, where
 * console.log runs when DURABLE_EXAMPLES_VERBOSE is "true" (the environment read itself is the
 * version's configuration, the same on every replay, and not reported).
 */
export const TYPE_CHECKED_ADDS: readonly ExpectedFinding[] = LOG_CALLS.flatMap(([file, lines]) =>
  lines.map((line) => ({
    file,
    line,
    rule: "replay-aware-logging",
    reason: "log() writes console.log in orchestration code: written again on every replay (reported at each call; see the report for issue 16, item 4)",
  })),
);

/** Messages that are not replayable's: AWS's sources name AWS's plugin rules in eslint-disable comments. */
export const FOREIGN_DIRECTIVE = /^(?:Definition for rule 'aws-durable-execution-eslint\/[a-z-]+' was not found\.|Unused eslint-disable directive .*)$/;
