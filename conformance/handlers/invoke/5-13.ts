// 5-13: a child context invokes the echo target and returns its result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.runInChildContext(async (child) => child.invoke("echo", "conformance-echo", "from the child context"));
});
