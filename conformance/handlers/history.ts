// What a conformance handler may ask about its own execution, as it would on Lambda: the
// execution's history through GetDurableExecutionHistory, with the handler's own LambdaClient
// (AWS_ENDPOINT_URL_LAMBDA names the endpoint: `replayable serve`, or the harness's own in the
// engine targets' crash processes; targets/history-endpoint.ts).
import { GetDurableExecutionHistoryCommand, LambdaClient } from "@aws-sdk/client-lambda";

const POLL_MS = 20;

/**
 * Resolves once the execution's history holds an event of type `eventType`; rejects after
 * `timeoutMs` naming what it waited for. For a handler that must act only after a checkpoint the
 * SDK sends without waiting for it (AtLeastOncePerRetry's StepStarted) has reached the service.
 */
export async function untilHistoryHas(durableExecutionArn: string, eventType: string, timeoutMs = 30_000): Promise<void> {
  const client = new LambdaClient({});
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { Events = [] } = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: durableExecutionArn, IncludeExecutionData: false }));
      if (Events.some((event) => event.EventType === eventType)) return;
      if (Date.now() >= deadline) {
        throw new Error(`${eventType} was not in the history of ${durableExecutionArn} after ${timeoutMs} ms (events: ${Events.map((e) => e.EventType).join(", ") || "none"})`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    client.destroy();
  }
}
