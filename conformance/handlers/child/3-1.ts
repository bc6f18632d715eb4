// 3-1: a child context holding one step that returns the input; the child returns it.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext(async (child) => child.step(async () => event));
});
