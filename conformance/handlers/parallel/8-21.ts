// 8-21: parallel named "outer" with one branch, which runs a parallel named "inner" of two
// steps ("i1", "i2"), both one at a time; the handler returns [["i1", "i2"]].
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const outer = await context.parallel(
    "outer",
    [
      async (branch: DurableContext) => {
        const inner = await branch.parallel(
          "inner",
          [async (b: DurableContext) => b.step(async () => "i1"), async (b: DurableContext) => b.step(async () => "i2")],
          { maxConcurrency: 1 },
        );
        return inner.getResults();
      },
    ],
    { maxConcurrency: 1 },
  );
  return outer.getResults();
});
