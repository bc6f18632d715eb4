// 3-6: nested child contexts, each with a step returning the input; the inner child returns
// its step's result and the outer child returns the inner child's.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext("outer", async (outer) => {
    await outer.step(async () => event);
    return await outer.runInChildContext("inner", async (inner) => inner.step(async () => event));
  });
});
