// 5-8: invoke the echo target with the input's payload and its tenantId.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: { tenantId: string; payload: string }, context: DurableContext) => {
  return await context.invoke("tenant-echo", "conformance-echo", event.payload, { tenantId: event.tenantId });
});
