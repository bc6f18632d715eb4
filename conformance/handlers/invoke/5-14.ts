// 5-14: invoke two target functions in turn: the echo target, then the greeting target with
// the first one's result.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const first = await context.invoke<string, string>("echo", "conformance-echo", "first");
  const second = await context.invoke<string, string>("greet", "conformance-greet", first);
  return [first, second];
});
