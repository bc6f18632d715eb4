// 3-18: a child context with a step and a wait inside, then a step and a wait after it; each
// step returns the input, and so do the child and the handler.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  await context.runInChildContext("step-and-wait", async (child) => {
    await child.step(async () => event);
    await child.wait({ seconds: 1 });
    return event;
  });
  const value = await context.step(async () => event);
  await context.wait({ seconds: 1 });
  return value;
});
