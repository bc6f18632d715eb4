import { durationToSeconds } from "./duration.js";
import { applyJitter } from "./retry-strategy.js";
import { JitterStrategy, type Duration, type WaitForConditionDecision } from "./types.js";
import { WaitForConditionError } from "./errors.js";

export interface WaitStrategyConfig<T> {
  maxAttempts?: number;
  initialDelay?: Duration;
  maxDelay?: Duration;
  backoffRate?: number;
  jitter?: JitterStrategy;
  shouldContinuePolling: (result: T) => boolean;
  timeoutSeconds?: number;
}

export const createWaitStrategy = <T>(config: WaitStrategyConfig<T>) => {
  const maxAttempts = config.maxAttempts ?? 60;
  const initial = durationToSeconds(config.initialDelay ?? { seconds: 5 });
  const max = durationToSeconds(config.maxDelay ?? { seconds: 300 });
  const rate = config.backoffRate ?? 1.5;
  const jitter = config.jitter ?? JitterStrategy.FULL;
  return (result: T, attemptsMade: number): WaitForConditionDecision => {
    if (!config.shouldContinuePolling(result)) return { shouldContinue: false };
    if (attemptsMade >= maxAttempts) throw new WaitForConditionError(`waitForCondition exceeded maximum attempts (${maxAttempts})`);
    const base = Math.min(initial * rate ** (attemptsMade - 1), max);
    return { shouldContinue: true, delay: { seconds: Math.max(1, Math.round(applyJitter(base, jitter))) } };
  };
};
