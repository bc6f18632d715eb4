// 9-16: map named "large" over four items, one at a time, each returning a ~70 KB string, so
// the whole result is over the 256 KB checkpoint limit (the map is checkpointed with a summary
// and rebuilt from its iterations on replay). Returns {successCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("large", [0, 1, 2, 3], async (_ctx, n) => String(n).repeat(70 * 1024), { maxConcurrency: 1 });
  return { successCount: batch.successCount, totalCount: batch.totalCount };
});
