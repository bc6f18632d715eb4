// 5-4: invoke the echo target with null; it returns null, and so does the handler.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.invoke("conformance-echo", null);
});
