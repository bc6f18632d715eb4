// 10-22: a step named "greet" returns "task-a". A plugin's operation-change hook logs, for
// each step in the change's updated operations, a canonical dump of that item (every field it
// exposes, timestamps as ISO-8601, errors as messages), with the change's executionArn, the
// sizes of both maps, and whether the full map holds the item too.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

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
  async onOperationChange(info) {
    for (const [id, item] of Object.entries(info.updatedOperations)) {
      if (item.type !== "STEP") continue;
      emit({
        hook: "operation-change",
        executionArn: info.executionArn,
        updatedOperationsCount: Object.keys(info.updatedOperations).length,
        operationsCount: Object.keys(info.operations).length,
        inFullMap: id in info.operations,
        ...dump(item),
      });
    }
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    return await context.step("greet", async () => "task-a");
  },
  { plugins: [plugin] },
);
