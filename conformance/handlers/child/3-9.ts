// 3-9: a child context (a step returning the input), then a wait; the replay after the wait
// takes the child's result from its checkpoint.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const value = await context.runInChildContext(async (child) => child.step(async () => event));
  await context.wait({ seconds: 1 });
  return value;
});
