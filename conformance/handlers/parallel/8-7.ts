// 8-7: parallel named "throwing", two branches, fail-fast, one at a time: branch 0 throws,
// branch 1 never starts; the handler asks the batch to rethrow, uncaught.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "throwing",
    [
      async (): Promise<string> => {
        throw new Error("branch 0 failed");
      },
      async () => "never",
    ],
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  batch.throwIfError();
  return batch.getResults();
});
