import { durationToSeconds } from "./duration.js";
import { JitterStrategy, type Duration, type RetryDecision } from "./types.js";

export interface RetryStrategyConfig {
  maxAttempts?: number;
  initialDelay?: Duration;
  maxDelay?: Duration;
  backoffRate?: number;
  jitter?: JitterStrategy;
  retryableErrors?: (string | RegExp)[];
  retryableErrorTypes?: (new () => Error)[];
}
export interface LinearRetryStrategyConfig extends Omit<RetryStrategyConfig, "backoffRate"> {
  increment?: Duration;
}
export type RetryStrategy = (error: Error, attemptsMade: number) => RetryDecision;

// Jitter runs only when a step attempt has just failed (never on replay): the chosen delay
// is recorded in the journal, so Math.random here is safe.
export function applyJitter(seconds: number, jitter: JitterStrategy): number {
  if (jitter === JitterStrategy.FULL) return Math.random() * seconds;
  if (jitter === JitterStrategy.HALF) return seconds / 2 + Math.random() * (seconds / 2);
  return seconds;
}
const finalize = (seconds: number, jitter: JitterStrategy): number => Math.max(1, Math.round(applyJitter(seconds, jitter)));

function isRetryable(error: Error, patterns: (string | RegExp)[] | undefined, types: (new () => Error)[] | undefined): boolean {
  // With neither filter set, every error is retryable; with either, only matching ones (OR).
  if (!patterns?.length && !types?.length) return true;
  const byMessage = (patterns ?? []).some((p) => (p instanceof RegExp ? p.test(error.message) : error.message.includes(p)));
  return byMessage || (types ?? []).some((T) => error instanceof T);
}

export const createRetryStrategy = (config: RetryStrategyConfig = {}): RetryStrategy => {
  const maxAttempts = config.maxAttempts ?? 3;
  const initial = durationToSeconds(config.initialDelay ?? { seconds: 5 });
  const max = durationToSeconds(config.maxDelay ?? { minutes: 5 });
  const rate = config.backoffRate ?? 2;
  const jitter = config.jitter ?? JitterStrategy.FULL;
  return (error, attemptsMade) => {
    if (attemptsMade >= maxAttempts || !isRetryable(error, config.retryableErrors, config.retryableErrorTypes)) return { shouldRetry: false };
    return { shouldRetry: true, delay: { seconds: finalize(Math.min(initial * rate ** (attemptsMade - 1), max), jitter) } };
  };
};

export const createLinearRetryStrategy = (config: LinearRetryStrategyConfig = {}): RetryStrategy => {
  const maxAttempts = config.maxAttempts ?? 6;
  const initial = durationToSeconds(config.initialDelay ?? { seconds: 1 });
  const increment = durationToSeconds(config.increment ?? { seconds: 1 });
  const max = durationToSeconds(config.maxDelay ?? { minutes: 5 });
  const jitter = config.jitter ?? JitterStrategy.FULL;
  return (error, attemptsMade) => {
    if (attemptsMade >= maxAttempts || !isRetryable(error, config.retryableErrors, config.retryableErrorTypes)) return { shouldRetry: false };
    return { shouldRetry: true, delay: { seconds: finalize(Math.min(initial + increment * (attemptsMade - 1), max), jitter) } };
  };
};

export const retryPresets = {
  /** 6 attempts, exponential backoff from 5 s capped at 60 s, full jitter. */
  default: createRetryStrategy({ maxAttempts: 6, initialDelay: { seconds: 5 }, maxDelay: { seconds: 60 }, backoffRate: 2, jitter: JitterStrategy.FULL }),
  /** 6 attempts, delays 1 s, 2 s, 3 s, 4 s, 5 s. */
  linear: createLinearRetryStrategy({ maxAttempts: 6, initialDelay: { seconds: 1 }, increment: { seconds: 1 }, jitter: JitterStrategy.NONE }),
  /** Fail on the first error. */
  noRetry: createRetryStrategy({ maxAttempts: 1 }),
};
