// 4-18: create callbacks A (named input[0]) and B (named input[1]), then wait for A, then for
// B; return both results.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: [string, string], context: DurableContext) => {
  const [a] = await context.createCallback(event[0]);
  const [b] = await context.createCallback(event[1]);
  const resultA = await a;
  const resultB = await b;
  return [resultA, resultB];
});
