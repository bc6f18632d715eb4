// 10-14: step A returns "task-a"; step B always throws "boom", no retries, so the execution
// fails. A plugin logs operation-end of steps with the checkpointed result and the error
// message it is given ("NONE" when absent).
import { retryPresets, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationEnd(info) {
    if (info.type === "STEP") emit({ hook: "operation-end", op: info.id, status: info.status, result: info.result ?? "NONE", error: info.error?.message ?? "NONE" });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    await context.step("step-a", async () => "task-a");
    return await context.step(
      "step-b",
      async (): Promise<string> => {
        throw new Error("boom");
      },
      { retryStrategy: retryPresets.noRetry },
    );
  },
  { plugins: [plugin] },
);
