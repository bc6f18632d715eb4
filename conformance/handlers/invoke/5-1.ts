// 5-1: invoke the echo target function with the input; return what it returns. A string
// payload needs the named form: invoke(funcId, "text") would read "text" as the function.
// (Target functions: conformance/invoke-targets.ts.)
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.invoke("echo", "conformance-echo", event);
});
