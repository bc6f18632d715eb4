// 5-9: invoke the echo target, then wait 1 second; the replay after the wait takes the
// invoke's result from its checkpoint.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const echoed = await context.invoke("echo", "conformance-echo", "invoke-then-wait");
  await context.wait({ seconds: 1 });
  return echoed;
});
