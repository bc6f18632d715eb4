// 1-8: a step, then a 2-second wait; the replay after the wait skips the step.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const value = await context.step(async () => "computed");
  await context.wait({ seconds: 2 });
  return value;
});
