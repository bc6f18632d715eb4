// 10-21: a step named "flaky" throws on attempt 1 and returns "ok" on attempt 2 (retry after
// 1 s). A plugin logs a canonical dump of each step attempt hook's own info: every field it
// exposes (timestamps as ISO-8601, errors as messages), unset fields left out.
import { createRetryStrategy, JitterStrategy, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

function dump(info: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(info)) {
    if (value === undefined) continue;
    if (value instanceof Date) out[key] = value.toISOString();
    else if (value instanceof Error) out[key] = value.message;
    else if (typeof value === "object" && value !== null) out[`${key}Count`] = Object.keys(value).length;
    else out[key] = value;
  }
  return out;
}

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationAttemptStart(info) {
    if (info.type === "STEP") emit({ hook: "attempt-start", ...dump(info) });
  },
  async onOperationAttemptEnd(info) {
    if (info.type === "STEP") emit({ hook: "attempt-end", ...dump(info) });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    return await context.step(
      "flaky",
      async (stepContext) => {
        if (stepContext.attempt === 1) throw new Error("flaky: the first attempt fails");
        return "ok";
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 1, jitter: JitterStrategy.NONE }) },
    );
  },
  { plugins: [plugin] },
);
