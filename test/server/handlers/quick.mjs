// A durable function that ends in one invocation, with the official SDK: for Invoke's shapes.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const total = await context.step("total", async () => (event.items ?? []).reduce((sum, n) => sum + n, 0));
  if (event.fail) throw new Error(`refused order of ${total}`);
  return { total };
});
