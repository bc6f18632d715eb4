// 5-11: a step, then invoke the echo target with the step's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const prepared = await context.step(async () => ({ prepared: "by a step" }));
  return await context.invoke("conformance-echo", prepared);
});
