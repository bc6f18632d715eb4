// 10-19: a 2-second wait, then "done-" + the input. A plugin logs a canonical dump of each
// invocation hook's own info: every field the info exposes (maps as counts, timestamps as
// ISO-8601, errors as messages), unset fields left out, plus `terminal` on the end record.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

/** The info's own fields, canonically: maps as <name>Count, dates as ISO-8601, errors as their message; undefined left out. */
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
    emit({ hook: "invocation-start", ...dump(info) });
  },
  async onInvocationEnd(info) {
    emit({ hook: "invocation-end", ...dump(info), terminal: info.status === "SUCCEEDED" || info.status === "FAILED" });
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    await context.wait({ seconds: 2 });
    return `done-${event}`;
  },
  { plugins: [plugin] },
);
