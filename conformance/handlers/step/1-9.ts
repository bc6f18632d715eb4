// 1-9: a step logs "step executed" and returns a value, then a 1-second wait; the replay
// returns the checkpointed value without running the step again.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const value = await context.step(async (stepContext) => {
    stepContext.logger.info("step executed");
    return "cached_value";
  });
  await context.wait({ seconds: 1 });
  return value;
});
