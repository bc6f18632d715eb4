// 10-23: a parallel named "ctx", one branch at a time: "branch-a" runs a step "inner" returning
// "x", waits 2 s and returns "a-done"; "branch-b" returns "b-done". A plugin logs canonical
// dumps of operation-start infos and of the info each context function is wrapped with
// (fn-start), for CONTEXT operations: every field the info exposes, unset fields left out.
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
  async onOperationStart(info) {
    if (info.type === "CONTEXT") emit({ hook: "operation-start", ...dump(info) });
  },
  wrapChildContextFn(info, fn) {
    if (info.type === "CONTEXT") emit({ hook: "fn-start", ...dump(info) });
    return fn();
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    const result = await context.parallel(
      "ctx",
      [
        {
          name: "branch-a",
          func: async (branch: DurableContext) => {
            await branch.step("inner", async () => "x");
            await branch.wait({ seconds: 2 });
            return "a-done";
          },
        },
        { name: "branch-b", func: async () => "b-done" },
      ],
      { maxConcurrency: 1 },
    );
    return result.getResults();
  },
  { plugins: [plugin] },
);
