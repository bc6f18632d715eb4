// 8-3: parallel named "named" with named branches "first" and "second" returning "one" and "two".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel(
    "named",
    [
      { name: "first", func: async () => "one" },
      { name: "second", func: async () => "two" },
    ],
    { maxConcurrency: 1 },
  );
  return batch.getResults();
});
