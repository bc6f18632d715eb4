// 3-14: a child context with a custom serdes that uppercases its result when it serializes;
// the child's step returns the input.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const uppercaseSerdes: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : value.toUpperCase()),
  deserialize: async (data) => data,
};

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.runInChildContext("uppercase-child", async (child) => child.step(async () => event), { serdes: uppercaseSerdes });
});
