// The function bench/serve.mjs runs through `replayable serve`: replayable's runtime in a
// worker process, `count` sequential steps, checkpointing over HTTP. Its client is the default
// one (a LambdaClient from the environment) with each CheckpointDurableExecution call timed.
import { CheckpointDurableExecutionCommand, GetDurableExecutionStateCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { withDurableExecution } from "replayable";

const lambda = new LambdaClient({});
const timings = [];
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
    for (let i = 0; i < event.count; i++) await context.step(`s${i}`, async () => i);
    return event.timings ? timings : event.count;
  },
  { client },
);
