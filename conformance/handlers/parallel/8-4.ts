// 8-4: parallel named "hetero" whose branches return a string, a number and an object.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel<unknown>("hetero", [async () => "hello", async () => 42, async () => ({ k: "v" })], { maxConcurrency: 1 });
  return batch.getResults();
});
