// 1-1: a single step takes the input and returns a greeting.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step(async () => `Hello, ${event}!`);
});
