// 4-19: create callbacks A (named input[0]) and B (named input[1]), then wait for B first,
// then for A; return both results.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: [string, string], context: DurableContext) => {
  const [a] = await context.createCallback(event[0]);
  const [b] = await context.createCallback(event[1]);
  const resultB = await b;
  const resultA = await a;
  return [resultA, resultB];
});
