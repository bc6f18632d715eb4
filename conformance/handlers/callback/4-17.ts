// 4-17: create callback A (named input[0]) and wait for it, then create callback B (named
// input[1]) and wait for it; return both results.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: [string, string], context: DurableContext) => {
  const [a] = await context.createCallback(event[0]);
  const resultA = await a;
  const [b] = await context.createCallback(event[1]);
  const resultB = await b;
  return [resultA, resultB];
});
