// 2-1: a single 2-second wait.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.wait({ seconds: 2 });
  return "Wait completed";
});
