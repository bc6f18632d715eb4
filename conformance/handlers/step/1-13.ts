// 1-13: a step fails on its first two attempts and succeeds on the third, with the SDK's
// default retry strategy (no retry configuration).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.step(async (stepContext) => {
    if (stepContext.attempt <= 2) throw new Error(`unreliable: attempt ${stepContext.attempt} fails`);
    return `succeeded on attempt ${stepContext.attempt}`;
  });
});
