// 10-7: a step that always throws, no retries: the execution fails; a plugin logs
// invocation-start and invocation-end (the status).
import { retryPresets, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    emit({ hook: "invocation-start", first: info.isFirstInvocation });
  },
  async onInvocationEnd(info) {
    emit({ hook: "invocation-end", status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    return await context.step(
      async (): Promise<string> => {
        throw new Error("the step always fails");
      },
      { retryStrategy: retryPresets.noRetry },
    );
  },
  { plugins: [plugin] },
);
