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

/**
 * What `recommended-type-checked` adds: it follows log() from 65 calls in 22 handler files into
 * src/utils/logger.ts, where console.log runs when DURABLE_EXAMPLES_VERBOSE is "true" (the
 * environment read itself is the version's configuration, the same on every replay, and not
 * reported). One fix in log() serves every call, so it is reported once, there, with a chain of
 * callers and the count of the others (the message is checked in aws-examples.test.ts).
 */
export const TYPE_CHECKED_ADDS: readonly ExpectedFinding[] = [
  {
    file: "src/utils/logger.ts",
    line: 5,
    rule: "replay-aware-logging",
    reason: "log()'s console.log runs in orchestration code of 22 handlers: every earlier line is written again on each replay",
  },
];

/** Messages that are not replayable's: AWS's sources name AWS's plugin rules in eslint-disable comments. */
export const FOREIGN_DIRECTIVE = /^(?:Definition for rule 'aws-durable-execution-eslint\/[a-z-]+' was not found\.|Unused eslint-disable directive .*)$/;
