// 1-6: a step with a custom serdes that uppercases every string value when it serializes.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const upper = (value: unknown): unknown => {
  if (typeof value === "string") return value.toUpperCase();
  if (Array.isArray(value)) return value.map(upper);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, upper(v)]));
  return value;
};

const uppercaseSerdes: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify(upper(value))),
  deserialize: async (data) => (data === undefined ? undefined : (JSON.parse(data) as string)),
};

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step(async () => event, { serdes: uppercaseSerdes });
});
