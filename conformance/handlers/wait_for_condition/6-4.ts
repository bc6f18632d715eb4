// 6-4: waitForCondition from initial state 5, adding one per check (each check gets the state
// the previous one returned), until it reaches the input threshold (8).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (threshold: number, context: DurableContext) => {
  return await context.waitForCondition(async (state: number) => state + 1, {
    initialState: 5,
    waitStrategy: (state) => (state < threshold ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
