// 9-8: map named "tolerated" over three items tolerating one failure, one at a time: item 1
// throws, items 0 and 2 succeed. Returns {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map(
    "tolerated",
    ["i0", "i1", "i2"],
    async (_ctx, item): Promise<string> => {
      if (item === "i1") throw new Error(`item ${item} failed`);
      return item;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
