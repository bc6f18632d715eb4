// GetDurableExecutionHistory of the run in progress, for the handlers that must observe their
// own execution as the service stores it (handlers/history.ts: 3-12 crashes its process only
// once its StepStarted is checkpointed). The serve targets add it to their endpoint; the engine
// targets' crash processes start one on loopback and name it in AWS_ENDPOINT_URL_LAMBDA, where a
// handler's LambdaClient looks for Lambda on serve and on AWS alike.
import type { EngineStore } from "../../engine/index.js";
import { listen, type LambdaRoutes } from "../../server/lambda-api/http-server.js";
import { notFound } from "../../server/lambda-api/lambda-errors.js";
import { buildHistory } from "../../history/aws-history.js";
import { toBoundaries } from "../../history/invocation-boundaries.js";

export interface CurrentRun {
  store: EngineStore;
  executionId: string;
}

/** GetDurableExecutionHistory over the run `current()` names (every event, with payloads, one page). */
export function historyRoute(current: () => CurrentRun | undefined): Required<Pick<LambdaRoutes, "getHistory">> {
  return {
    async getHistory(arn: string) {
      const run = current();
      if (!run || !arn.includes(run.executionId)) throw notFound(`Durable execution not found: ${arn} (the conformance run in progress is ${run?.executionId ?? "none"}).`);
      const execution = await run.store.getExecution(run.executionId);
      if (!execution) throw notFound(`Durable execution not found: ${arn} (not started yet).`);
      const updates = await run.store.loadUpdates(run.executionId);
      return { Events: buildHistory(execution, updates, toBoundaries(await run.store.loadInvocations(run.executionId), updates, execution)) };
    },
  };
}

/** Serves historyRoute on a free loopback port and points this process's Lambda clients at it; returns the closer. */
export async function serveHistoryToThisProcess(run: CurrentRun): Promise<() => Promise<void>> {
  const { server, url } = await listen(() => historyRoute(() => run), 0);
  Object.assign(process.env, { AWS_ENDPOINT_URL_LAMBDA: url, AWS_REGION: process.env.AWS_REGION ?? "us-east-1", AWS_ACCESS_KEY_ID: "replayable-conformance", AWS_SECRET_ACCESS_KEY: "replayable-conformance" });
  return () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections()));
}
