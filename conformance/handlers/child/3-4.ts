// 3-4: a child context whose step throws with no retry: the child fails (ChildContextError)
// and so does the execution.
import { retryPresets, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.runInChildContext("failing-child", async (child) =>
    child.step(
      async (): Promise<string> => {
        throw new Error("the step inside the child failed");
      },
      { retryStrategy: retryPresets.noRetry },
    ),
  );
});
