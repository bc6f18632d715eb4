// 9-3: map named "indexed": each item returns item + its zero-based index.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (items: number[], context: DurableContext) => {
  const batch = await context.map("indexed", items, async (_ctx, n, index) => n + index, { maxConcurrency: 1 });
  return batch.getResults();
});
