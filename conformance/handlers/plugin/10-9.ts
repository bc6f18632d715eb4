// 10-9: a 2-second wait; at invocation-start a plugin logs every wait the SDK reports as
// updated since the previous invocation (the timer that fired), with its status.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    for (const op of Object.values(info.updatedOperations)) {
      if (op.type === "WAIT") emit({ hook: "updated-on-invoke", op: op.id, status: op.status, first: info.isFirstInvocation });
    }
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    await context.wait({ seconds: 2 });
  },
  { plugins: [plugin] },
);
