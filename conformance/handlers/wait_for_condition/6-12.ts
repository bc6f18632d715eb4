// 6-12: waitForCondition counts from 0 to the input threshold (2); a step then multiplies the
// result by 10.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (threshold: number, context: DurableContext) => {
  const count = await context.waitForCondition(async (n: number) => n + 1, {
    initialState: 0,
    waitStrategy: (n) => (n < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
  return await context.step(async () => count * 10);
});
