// 9-18: map named "fail-then-wait" over ["ok", "fail"] tolerating one failure: "fail" throws,
// the batch is not rethrown; then a 1-second wait. Returns
// {completionReason, status, successCount, failureCount, totalCount}.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map(
    "fail-then-wait",
    ["ok", "fail"],
    async (_ctx, item): Promise<string> => {
      if (item === "fail") throw new Error("this item fails");
      return item;
    },
    { maxConcurrency: 1, completionConfig: { toleratedFailureCount: 1 } },
  );
  await context.wait({ seconds: 1 });
  const { completionReason, status, successCount, failureCount, totalCount } = batch;
  return { completionReason, status, successCount, failureCount, totalCount };
});
