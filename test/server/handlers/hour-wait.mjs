// Waits an hour after one step, with the official SDK: an execution to time out.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  await context.step("begin", async () => "begun");
  await context.wait("hour", { hours: 1 });
  return "done";
});
