// 5-12: invoke the echo target, then a step processes its result and returns it.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const echoed = await context.invoke<string, string>("echo", "conformance-echo", "from the invoke");
  return await context.step(async () => `processed: ${echoed}`);
});
