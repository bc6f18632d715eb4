// 9-1: map named "map" over the input items, one at a time; each item runs a step returning
// "Hello, <item>!"; the handler returns the results in item order.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (items: string[], context: DurableContext) => {
  const batch = await context.map("map", items, async (ctx, item) => ctx.step(async () => `Hello, ${item}!`), { maxConcurrency: 1 });
  return batch.getResults();
});
