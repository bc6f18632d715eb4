// 1-3: two sequential steps; the second uses the first one's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const first = await context.step(async () => "first");
  return await context.step(async () => `${first}_second`);
});
