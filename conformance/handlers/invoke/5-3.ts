// 5-3: invoke the echo target with a nested JSON object (the input); return the echoed object.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: Record<string, unknown>, context: DurableContext) => {
  return await context.invoke("conformance-echo", event);
});
