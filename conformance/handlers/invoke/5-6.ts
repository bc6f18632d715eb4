// 5-6: invoke a target function that fails, inside try/catch; the handler catches the
// InvokeError and returns a fallback value.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  try {
    return await context.invoke("conformance-fail");
  } catch (error) {
    return { fallback: true, error: (error as Error).name };
  }
});
