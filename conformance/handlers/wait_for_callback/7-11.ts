// 7-11: waitForCallback named by the input that deserializes the payload as a JSON object;
// the handler returns its "status" field.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const answer = await context.waitForCallback<{ status: string }>(
    event,
    async (callbackId) => {
      void callbackId;
    },
    { serdes: { deserialize: async (data) => (data === undefined ? undefined : (JSON.parse(data) as { status: string })) } },
  );
  return answer.status;
});
