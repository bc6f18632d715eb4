// 9-7: map named "min-successful" over four items with min-successful 2, one at a time: it
// completes after items 0 and 1. Returns {completionReason, successCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("min-successful", ["i0", "i1", "i2", "i3"], async () => "done", {
    maxConcurrency: 1,
    completionConfig: { minSuccessful: 2 },
  });
  return { completionReason: batch.completionReason, successCount: batch.successCount, totalCount: batch.totalCount };
});
