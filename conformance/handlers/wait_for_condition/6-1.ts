// 6-1: waitForCondition counts from 0, one per check, polling while the count is below the
// input threshold; returns the final count.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (threshold: number, context: DurableContext) => {
  return await context.waitForCondition(async (count: number) => count + 1, {
    initialState: 0,
    waitStrategy: (count) => (count < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
