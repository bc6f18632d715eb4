// 10-8: one step returns a greeting; a plugin's operation-change hook logs every step in the
// change's updated operations, with its status and whether the full map holds it too.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationChange(info) {
    for (const [id, op] of Object.entries(info.updatedOperations)) {
      if (op.type === "STEP") emit({ hook: "operation-change", op: op.id, status: op.status, in_full_map: id in info.operations });
    }
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.step("greet", async () => `Hello, ${event}!`);
  },
  { plugins: [plugin] },
);
