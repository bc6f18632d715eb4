// The worker process of compat-through-serve.test.ts: every compatibility scenario's handler
// (written with the AWS import, in scenarios.aws.ts for the official SDK and
// scenarios.replayable.ts for replayable), chosen per invocation by the scenario named in the
// execution's input ({ scenario, payload }); the handler sees `payload` as its event.
// Started as `node --import tsx compat-worker.ts aws|replayable`.
import { serveInvocations } from "../../server/lambda-api/worker-runtime.js";
import type { Scenario } from "../testing/compat/scenario-types.js";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type Event = { InitialExecutionState: { Operations: Array<{ Type: string; ExecutionDetails?: { InputPayload?: string } }> } };

const sdk = process.argv[2];
void serveInvocations(async () => {
  const { scenarios } = (await import(sdk === "aws" ? "../testing/compat/scenarios.aws.js" : "../testing/compat/scenarios.replayable.js")) as { scenarios: Scenario[] };
  const handlers = new Map<string, Handler>();
  return async (event, context) => {
    const execution = (event as Event).InitialExecutionState.Operations.find((op) => op.Type === "EXECUTION")!;
    const { scenario, payload } = JSON.parse(execution.ExecutionDetails!.InputPayload!) as { scenario: string; payload: unknown };
    if (!handlers.has(scenario)) handlers.set(scenario, scenarios.find((s) => s.name === scenario)!.setup().handler as Handler);
    execution.ExecutionDetails!.InputPayload = JSON.stringify(payload);
    return handlers.get(scenario)!(event, context);
  };
});
