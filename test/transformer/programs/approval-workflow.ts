// A runnable handler with callbacks and parallel branches, named only by the transformer.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const approvalWorkflow = withDurableExecution(async (event: { amount: number }, context: DurableContext) => {
  const checks = await context.parallel([
    async (branch) => branch.step(async () => event.amount < 1000),
    { name: "limits", func: async (branch) => branch.step(async () => event.amount < 5000) },
  ]);
  const decidedAt = new Date();
  const tickets = Array.from({ length: 3 }, () => Math.floor(Math.random() * 10));
  const approved = await context.step(async () => checks.getResults().every(Boolean));
  await context.wait({ minutes: 1 });
  return { approved, decidedAtIsDate: decidedAt instanceof Date, tickets: tickets.length, inRange: tickets.every((ticket) => ticket >= 0 && ticket < 10) };
});
