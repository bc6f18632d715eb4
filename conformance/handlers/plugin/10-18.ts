// 10-18: a parallel named "waits", both branches at once: branch 0 waits "short" (2 s), branch 1
// waits "long" (8 s); they return "short-done" and "long-done". A plugin logs operation-start
// (replay? still pending?) and operation-end (status) of waits, by name.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin, type OperationInfo } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);
const terminal = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED", "CANCELLED"]);
const isPending = (info: OperationInfo) => (info.status !== undefined ? !terminal.has(info.status) : info.endTimestamp === undefined);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  async onOperationStart(info) {
    if (info.type.toUpperCase() === "WAIT") emit({ hook: "operation-start", type: "WAIT", name: info.name, replay: info.isReplay, pending: isPending(info) });
  },
  async onOperationEnd(info) {
    if (info.type.toUpperCase() === "WAIT") emit({ hook: "operation-end", type: "WAIT", name: info.name, status: info.status });
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    const result = await context.parallel(
      "waits",
      [
        async (branch) => {
          await branch.wait("short", { seconds: 2 });
          return "short-done";
        },
        async (branch) => {
          await branch.wait("long", { seconds: 8 });
          return "long-done";
        },
      ],
      { maxConcurrency: 2 },
    );
    return result.getResults();
  },
  { plugins: [plugin] },
);
