// 9-2: map without a name over the input numbers, one at a time; each item returns its double
// directly (no step).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (items: number[], context: DurableContext) => {
  const batch = await context.map(items, async (_ctx, n) => n * 2, { maxConcurrency: 1 });
  return batch.getResults();
});
