// 10-13: step A succeeds at once; step B fails on its first attempt and succeeds on its second
// (retry after 1 s). A plugin logs operation-start (is it a replay?) and operation-end (status)
// of steps.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationStart(info) {
    if (info.type === "STEP") emit({ hook: "operation-start", op: info.id, replay: info.isReplay });
  },
  async onOperationEnd(info) {
    if (info.type === "STEP") emit({ hook: "operation-end", op: info.id, status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    await context.step("step-a", async () => "A done");
    return await context.step(
      "step-b",
      async (stepContext) => {
        if (stepContext.attempt === 1) throw new Error("step B fails on its first attempt");
        return "Operation succeeded";
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
    );
  },
  { plugins: [plugin] },
);
