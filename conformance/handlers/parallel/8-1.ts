// 8-1: parallel named "parallel" with two branches, one at a time; each runs a step returning
// "task-1" / "task-2"; the handler returns the results in branch order.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "parallel",
    [async (branch: DurableContext) => branch.step(async () => "task-1"), async (branch: DurableContext) => branch.step(async () => "task-2")],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
