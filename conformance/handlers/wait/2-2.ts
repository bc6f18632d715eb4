// 2-2: a 2-second wait named "custom_wait_name".
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.wait("custom_wait_name", { seconds: 2 });
  return "Wait completed";
});
