// 8-18: parallel named "combined", four branches with min-successful 3 and one tolerated
// failure: branches 0 and 1 throw, the tolerance is exceeded first, 2 and 3 never start.
// Returns {completionReason, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

const fails = (n: number) => async (): Promise<string> => {
  throw new Error(`branch ${n} failed`);
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("combined", [fails(0), fails(1), async () => "b2", async () => "b3"], {
    maxConcurrency: 1,
    completionConfig: { minSuccessful: 3, toleratedFailureCount: 1 },
  });
  const { completionReason, successCount, failureCount, totalCount } = batch;
  return { completionReason, successCount, failureCount, totalCount };
});
