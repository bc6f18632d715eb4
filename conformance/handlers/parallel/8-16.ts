// 8-16: parallel named "all-fail", three branches that all throw, tolerating three failures:
// all run. Returns {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

const fails = (n: number) => async (): Promise<string> => {
  throw new Error(`branch ${n} failed`);
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.parallel("all-fail", [fails(0), fails(1), fails(2)], {
    maxConcurrency: 1,
    completionConfig: { toleratedFailureCount: 3 },
  });
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
