// 8-2: parallel without a name, two branches returning "alpha" and "beta" directly.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel([async () => "alpha", async () => "beta"], { maxConcurrency: 1 });
  return batch.getResults();
});
