// 9-9: map named "tolerated-exceeded" over three items tolerating one failure, one at a time:
// items 0 and 1 throw, which exceeds the tolerance, so item 2 never starts.
// Returns {completionReason, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map(
    "tolerated-exceeded",
    ["i0", "i1", "i2"],
    async (_ctx, item): Promise<string> => {
      if (item !== "i2") throw new Error(`item ${item} failed`);
      return item;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  const { completionReason, successCount, failureCount, totalCount } = batch;
  return { completionReason, successCount, failureCount, totalCount };
});
