// 10-17: one step returns a greeting; two plugins, a faulty one first (every hook logs, then
// throws) and a healthy one. The faulty plugin's errors must not keep the healthy one from
// any hook, nor change the outcome.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (plugin: string, record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin, ...record, durableExecutionArn })}\n`);
const fail = (hook: string): never => {
  emit("CONFPLUGIN-FAULTY", { hook });
  throw new Error(`faulty plugin: ${hook}`);
};

const faulty: DurableInstrumentationPlugin = {
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

const healthy: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    emit("CONFPLUGIN-HEALTHY", { hook: "invocation-start", first: info.isFirstInvocation });
  },
  async onInvocationEnd(info) {
    emit("CONFPLUGIN-HEALTHY", { hook: "invocation-end", status: info.status });
  },
  async onOperationStart(info) {
    if (info.type === "STEP") emit("CONFPLUGIN-HEALTHY", { hook: "operation-start", op: info.id });
  },
  async onOperationEnd(info) {
    if (info.type === "STEP") emit("CONFPLUGIN-HEALTHY", { hook: "operation-end", op: info.id, status: info.status });
  },
  async onOperationAttemptStart(info) {
    if (info.type === "STEP") emit("CONFPLUGIN-HEALTHY", { hook: "attempt-start", op: info.id });
  },
  async onOperationAttemptEnd(info) {
    if (info.type === "STEP") emit("CONFPLUGIN-HEALTHY", { hook: "attempt-end", op: info.id, outcome: info.outcome });
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.step("greet", async () => `Hello, ${event}!`);
  },
  { plugins: [faulty, healthy] },
);
