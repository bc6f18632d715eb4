// 10-11: a child context runs one step that returns a greeting; a plugin logs operation-end of
// every operation that ends, with its id and its parent's id ("NONE" without one).
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationEnd(info) {
    emit({ hook: "operation-end", op: info.id, parent: info.parentId ?? "NONE", status: info.status });
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.runInChildContext("greeting", async (child) => child.step("greet", async () => `Hello, ${event}!`));
  },
  { plugins: [plugin] },
);
