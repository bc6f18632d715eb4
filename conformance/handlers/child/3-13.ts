// 3-13: a child context holding only a wait returns the input; a step outside the child
// then returns the input.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  await context.runInChildContext("waiting-child", async (child) => {
    await child.wait({ seconds: 1 });
    return event;
  });
  return await context.step(async () => event);
});
