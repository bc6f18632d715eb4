// 8-14: parallel named "replay", two branches one at a time: branch 0 runs a step returning
// "b0"; branch 1 waits 2 seconds and returns "b1". The replay after the wait takes branch 0
// from its checkpoint.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "replay",
    [
      async (branch: DurableContext) => branch.step(async () => "b0"),
      async (branch: DurableContext) => {
        await branch.wait({ seconds: 2 });
        return "b1";
      },
    ],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
