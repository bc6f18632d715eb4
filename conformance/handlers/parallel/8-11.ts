// 8-11: parallel named "concurrent", three branches returning "r0", "r1", "r2", two at a time;
// the results come back in branch order.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("concurrent", [async () => "r0", async () => "r1", async () => "r2"], { maxConcurrency: 2 });
  return batch.getResults();
});
