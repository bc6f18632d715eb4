// 2-4: a wait given in minutes (1 minute), recorded as 60 seconds.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.wait({ minutes: 1 });
  return "Wait completed";
});
