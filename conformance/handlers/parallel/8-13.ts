// 8-13: parallel named "tolerated-pct", four branches tolerating 25% failures, one at a time:
// branch 0 fails (25%), branch 1 fails (50%, over the tolerance), branches 2 and 3 never start.
// Returns {completionReason, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

const fails = (n: number) => async (): Promise<string> => {
  throw new Error(`branch ${n} failed`);
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("tolerated-pct", [fails(0), fails(1), async () => "b2", async () => "b3"], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailurePercentage: 25 },
  });
  const { completionReason, successCount, failureCount, totalCount } = batch;
  return { completionReason, successCount, failureCount, totalCount };
});
