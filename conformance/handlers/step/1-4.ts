// 1-4: a step returns a nested object built from the input ({user: {name, tags}, count}).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Input {
  name: string;
  tags: string[];
}

export const handler = withDurableExecution(async (event: Input, context: DurableContext) => {
  return await context.step(async () => ({ user: { name: event.name, tags: [...event.tags] }, count: event.tags.length }));
});
