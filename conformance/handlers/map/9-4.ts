// 9-4: map named "empty" over no items completes at once with no iterations.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (items: unknown[], context: DurableContext) => {
  const batch = await context.map("empty", items ?? [], async (_ctx, item) => item);
  return batch.getResults();
});
