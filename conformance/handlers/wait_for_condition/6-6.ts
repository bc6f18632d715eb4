// 6-6: waitForCondition with a fixed-delay wait strategy limited to 3 attempts whose condition
// is never met: the strategy fails on the third attempt and so does the execution.
import { createWaitStrategy, JitterStrategy, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (start: number, context: DurableContext) => {
  return await context.waitForCondition(async (state: number) => state + 1, {
    initialState: start ?? 0,
    waitStrategy: createWaitStrategy<number>({
      maxAttempts: 3,
      initialDelay: { seconds: 1 },
      backoffRate: 1,
      jitter: JitterStrategy.NONE,
      shouldContinuePolling: () => true,
    }),
  });
});
