// 6-11: waitForCondition with a custom serdes for its string state (encoded when checkpointed,
// decoded when resumed); each check appends "x", polling until the state is 2 long.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const encodedSerdes: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : `encoded:${Buffer.from(value, "utf8").toString("base64")}`),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith("encoded:")) throw new Error(`not an encoded state: ${data}`);
    return Buffer.from(data.slice("encoded:".length), "base64").toString("utf8");
  },
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCondition(async (state: string) => `${state}x`, {
    initialState: "",
    serdes: encodedSerdes,
    waitStrategy: (state) => (state.length < 2 ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
  });
});
