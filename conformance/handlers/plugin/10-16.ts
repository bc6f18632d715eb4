// 10-16: a 2-second wait; a plugin logs invocation-start and invocation-end, the end with the
// same invocation's first-invocation flag (kept from its start: the end info has none) and
// whether its status is terminal.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
let first: boolean | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    first = info.isFirstInvocation;
    emit({ hook: "invocation-start", first });
  },
  async onInvocationEnd(info) {
    emit({ hook: "invocation-end", first, terminal: info.status === "SUCCEEDED" || info.status === "FAILED", status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    await context.wait({ seconds: 2 });
  },
  { plugins: [plugin] },
);
