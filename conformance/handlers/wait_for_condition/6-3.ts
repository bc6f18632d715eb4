// 6-3: waitForCondition named "poll-status" counts from 0 and stops once the count reaches
// the input (2).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (threshold: number, context: DurableContext) => {
  return await context.waitForCondition("poll-status", async (count: number) => count + 1, {
    initialState: 0,
    waitStrategy: (count) => (count < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
