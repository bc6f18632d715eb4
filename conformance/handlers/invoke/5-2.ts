// 5-2: invoke the echo target under the name given in the input, with the input's payload.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { name: string; payload: string }, context: DurableContext) => {
  return await context.invoke(event.name, "conformance-echo", event.payload);
});
