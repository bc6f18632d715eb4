// 8-19: parallel named "bad-concurrency" with max-concurrency 0: the SDK rejects the
// configuration before running any branch; the error fails the execution.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("bad-concurrency", [async () => "b0", async () => "b1"], { maxConcurrency: 0 });
  return batch.getResults();
});
