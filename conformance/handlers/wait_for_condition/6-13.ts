// 6-13: two waitForCondition operations in turn: the first counts from 0 to 2, the second
// starts from the first one's result and counts to 4.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

const countTo = (target: number) => (n: number) => (n < target ? { shouldContinue: true as const, delay: { seconds: 1 } } : { shouldContinue: false as const });

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const first = await context.waitForCondition(async (n: number) => n + 1, { initialState: 0, waitStrategy: countTo(2) });
  return await context.waitForCondition(async (n: number) => n + 1, { initialState: first, waitStrategy: countTo(4) });
});
