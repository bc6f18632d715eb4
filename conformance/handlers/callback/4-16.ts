// 4-16: a callback named by the input whose custom deserializer parses the payload into a
// number; the handler returns the count and its double.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const [result] = await context.createCallback<number>(event, {
    serdes: { deserialize: async (data) => (data === undefined ? undefined : Number(JSON.parse(data))) },
  });
  const count = await result;
  return { count, doubled: count * 2 };
});
