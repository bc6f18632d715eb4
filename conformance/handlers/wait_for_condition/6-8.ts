// 6-8: waitForCondition whose check throws on its first call; the handler catches the failure
// and returns "recovered".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  try {
    return await context.waitForCondition(
      async (_state: number): Promise<number> => {
        throw new Error("the status check failed");
      },
      { initialState: 0, waitStrategy: () => ({ shouldContinue: true, delay: { seconds: 1 } }) },
    );
  } catch {
    return "recovered";
  }
});
