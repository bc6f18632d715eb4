// 3-3: a child context with two sequential steps: the first returns the input, the second
// receives that result and returns it unchanged.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext("sequential-steps", async (child) => {
    const first = await child.step(async () => event);
    return await child.step(async () => first);
  });
});
