// 1-2: a single step with an explicit name, "custom_step_name".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step("custom_step_name", async () => `Hello, ${event}!`);
});
