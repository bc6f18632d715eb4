// 9-11: map named "concurrent" over three items, two at a time; each returns "r<index>"; the
// results come back in item order whatever order the items finish in.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("concurrent", ["i0", "i1", "i2"], async (_ctx, _item, index) => `r${index}`, { maxConcurrency: 2 });
  return batch.getResults();
});
