// 9-12: map named "flat" with FLAT nesting over ["fa", "fb"], one at a time: no iteration
// contexts are checkpointed; each item's step (returning the item) sits under the map.
import { NestingType, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("flat", ["fa", "fb"], async (ctx, item) => ctx.step(async () => item), {
    maxConcurrency: 1,
    nesting: NestingType.FLAT,
  });
  return batch.getResults();
});
