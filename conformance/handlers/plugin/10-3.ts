// 10-3: a step fails on its first attempt and succeeds on its second (retry after 1 s); a
// plugin logs each step attempt's start and end (attempt number, outcome, operation id).
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationAttemptStart(info) {
    if (info.type === "STEP") emit({ hook: "attempt-start", n: info.attempt, op: info.id });
  },
  async onOperationAttemptEnd(info) {
    if (info.type === "STEP") emit({ hook: "attempt-end", n: info.attempt, outcome: info.outcome, op: info.id });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    return await context.step(
      async (stepContext) => {
        if (stepContext.attempt === 1) throw new Error("unreliable: first attempt fails");
        return "Operation succeeded";
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
    );
  },
  { plugins: [plugin] },
);
