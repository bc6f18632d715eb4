// 5-7: invoke a target function with a large payload (about 200 KB, under the 256 KB
// checkpoint limit); the target measures it and the handler returns the measurement.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const large = { items: Array.from({ length: 2000 }, (_, i) => ({ index: i, text: "x".repeat(80) })) };
  return await context.invoke("conformance-measure", large);
});
