// 10-12: a parallel named "parallel" with two branches returning "task-1" and "task-2", one at a
// time; a plugin wraps each branch's function (parallel-branch operations only) and logs its
// start and end (outcome), with the branch's id and its parent's.
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
  },
  wrapChildContextFn(info, fn) {
    if (info.subType !== "ParallelBranch") return fn();
    const where = { op: info.id, parent: info.parentId ?? "NONE" };
    emit({ hook: "fn-start", ...where });
    return Promise.resolve()
      .then(fn)
      .then(
        (value) => {
          emit({ hook: "fn-end", ...where, outcome: "SUCCEEDED" });
          return value;
        },
        (error: unknown) => {
          emit({ hook: "fn-end", ...where, outcome: "FAILED" });
          throw error;
        },
      );
  },
};

export const handler = withDurableExecution(
  async (_event: unknown, context: DurableContext) => {
    const result = await context.parallel("parallel", [async () => "task-1", async () => "task-2"], { maxConcurrency: 1 });
    return result.getResults();
  },
  { plugins: [plugin] },
);
