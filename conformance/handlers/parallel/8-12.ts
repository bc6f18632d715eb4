// 8-12: parallel named "flat" with FLAT nesting, two branches each running a step ("fa",
// "fb"), one at a time: no branch contexts are checkpointed; the steps sit under the parallel.
import { NestingType, withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "flat",
    [async (branch: DurableContext) => branch.step(async () => "fa"), async (branch: DurableContext) => branch.step(async () => "fb")],
    { maxConcurrency: 1, nesting: NestingType.FLAT },
  );
  return batch.getResults();
});
