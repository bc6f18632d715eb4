// 6-2: waitForCondition from state 5 whose check returns the state unchanged; the condition
// (state >= 5) holds at the first check, so it completes without suspending.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCondition(async (state: number) => state, {
    initialState: 5,
    waitStrategy: (state) => (state >= 5 ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
  });
});
