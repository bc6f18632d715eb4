// 10-4: one step returns a greeting; every hook of the plugin logs a line and then throws.
// The SDK must swallow the errors: result and history as without the plugin.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN-FAULTY", ...record, durableExecutionArn })}\n`);
const fail = (hook: string): never => {
  emit({ hook });
  throw new Error(`faulty plugin: ${hook}`);
};

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    fail("invocation-start");
  },
  async onInvocationEnd() {
    fail("invocation-end");
  },
  async onOperationStart(info) {
    if (info.type === "STEP") fail("operation-start");
  },
  async onOperationEnd(info) {
    if (info.type === "STEP") fail("operation-end");
  },
  async onOperationAttemptStart(info) {
    if (info.type === "STEP") fail("attempt-start");
  },
  async onOperationAttemptEnd(info) {
    if (info.type === "STEP") fail("attempt-end");
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.step("greet", async () => `Hello, ${event}!`);
  },
  { plugins: [plugin] },
);
