// 9-6: map named "throwing" over two items, fail-fast (tolerated failure count 0), one at a
// time: item 0 throws, item 1 never starts; the handler asks the batch to rethrow, uncaught.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map(
    "throwing",
    ["i0", "i1"],
    async (_ctx, item): Promise<string> => {
      if (item === "i0") throw new Error(`item ${item} failed`);
      return item;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 0 } },
  );
  batch.throwIfError();
  return batch.getResults();
});
