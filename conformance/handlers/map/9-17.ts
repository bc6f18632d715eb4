// 9-17: map named "then-wait" over ["a", "b"] (each uppercased), then a 1-second wait; the
// replay after the wait takes the map's result from its checkpoint.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("then-wait", ["a", "b"], async (_ctx, item) => item.toUpperCase(), { maxConcurrency: 1 });
  await context.wait({ seconds: 1 });
  return batch.getResults();
});
