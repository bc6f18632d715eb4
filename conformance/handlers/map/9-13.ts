// 9-13: map named "named-items" over [1, 2] with an item namer ("item-<item>"); each item
// returns item * 10.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (items: number[], context: DurableContext) => {
  const batch = await context.map("named-items", items, async (_ctx, n) => n * 10, {
    maxConcurrency: 1,
    itemNamer: (n) => `item-${n}`,
  });
  return batch.getResults();
});
