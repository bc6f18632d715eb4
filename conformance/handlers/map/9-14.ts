// 9-14: map named "serdes" over ["x", "y"] with a custom per-item serdes ("wrapped:<value>"
// and back); each item returns itself uppercased.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const wrapped: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : `wrapped:${value}`),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith("wrapped:")) throw new Error(`not a wrapped value: ${data}`);
    return data.slice("wrapped:".length);
  },
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("serdes", ["x", "y"], async (_ctx, item) => item.toUpperCase(), { maxConcurrency: 1, itemSerdes: wrapped });
  return batch.getResults();
});
