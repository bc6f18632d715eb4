// 10-2: one step returns a greeting; a plugin logs operation-start and operation-end (with the
// status) of step operations, by the operation id it is given.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationStart(info) {
    if (info.type === "STEP") emit({ hook: "operation-start", op: info.id });
  },
  async onOperationEnd(info) {
    if (info.type === "STEP") emit({ hook: "operation-end", op: info.id, status: info.status });
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.step("greet", async () => `Hello, ${event}!`);
  },
  { plugins: [plugin] },
);
