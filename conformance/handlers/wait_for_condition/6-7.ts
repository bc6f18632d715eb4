// 6-7: waitForCondition whose check throws on its first call: the operation fails and the
// error, not caught, fails the execution.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCondition(
    async (_state: number): Promise<number> => {
      throw new Error("the status check failed");
    },
    { initialState: 0, waitStrategy: () => ({ shouldContinue: true, delay: { seconds: 1 } }) },
  );
});
