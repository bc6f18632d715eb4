// The function bench/serve.mjs runs through `replayable serve`: replayable's runtime in a
// worker process, `count` sequential steps, checkpointing over HTTP. Its client is a
// LambdaClient configured as the runtime's default one, with each CheckpointDurableExecution
// call timed, and the HTTP exchange inside each call (request written to response received,
// from Node's http diagnostics channels) timed apart: the rest of a call is the client's own work.
import { subscribe } from "node:diagnostics_channel";
import { CheckpointDurableExecutionCommand, GetDurableExecutionStateCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { withDurableExecution } from "replayable";
import { LAMBDA_CLIENT_CONFIG } from "../dist/runtime/lambda/lambda-client.js";

const lambda = new LambdaClient(LAMBDA_CLIENT_CONFIG);
const timings = [];
const exchanges = [];
const sent = new WeakMap();
subscribe("http.client.request.start", ({ request }) => sent.set(request, performance.now()));
subscribe("http.client.response.finish", ({ request }) => {
  if (request.path.endsWith("/checkpoint")) exchanges.push(performance.now() - sent.get(request));
});
const client = {
  getExecutionState: (params) => lambda.send(new GetDurableExecutionStateCommand(params)),
  checkpoint: async (params) => {
    const started = performance.now();
    try {
      return await lambda.send(new CheckpointDurableExecutionCommand(params));
    } finally {
      timings.push(performance.now() - started);
    }
  },
};

export const handler = withDurableExecution(
  async (event, context) => {
    timings.length = 0;
    exchanges.length = 0;
    for (let i = 0; i < event.count; i++) await context.step(`s${i}`, async () => i);
    return event.timings ? { timings, exchanges } : event.count;
  },
  { client },
);
