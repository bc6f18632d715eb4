// 3-2: a child context named by the input's first string holds a step returning the second.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { name: string; value: string }, context: DurableContext) => {
  return await context.runInChildContext(event.name, async (child) => child.step(async () => event.value));
});
