// 9-19: map named "op-serde" over ["x", "y"] (each uppercased) with an operation-level serdes
// for the whole map result: "OPSERDE:" and the comma-joined results, and back.
import { BatchItemStatus, withDurableExecution, type BatchResult, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const PREFIX = "OPSERDE:";

function batchOf(results: string[]): BatchResult<string> {
  const all = results.map((result, index) => ({ result, index, status: BatchItemStatus.SUCCEEDED }));
  return {
    all,
    succeeded: () => all,
    failed: () => [],
    started: () => [],
    status: BatchItemStatus.SUCCEEDED,
    completionReason: "ALL_COMPLETED",
    hasFailure: false,
    throwIfError: () => undefined,
    getResults: () => results,
    getErrors: () => [],
    successCount: results.length,
    failureCount: 0,
    startedCount: 0,
    totalCount: results.length,
  };
}

const opSerdes: Serdes<BatchResult<string>> = {
  serialize: async (batch) => (batch === undefined ? undefined : PREFIX + batch.getResults().join(",")),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith(PREFIX)) throw new Error(`not an OPSERDE value: ${data}`);
    const body = data.slice(PREFIX.length);
    return batchOf(body === "" ? [] : body.split(","));
  },
};

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  const batch = await context.map("op-serde", ["x", "y"], async (_ctx, item) => item.toUpperCase(), { maxConcurrency: 1, serdes: opSerdes });
  return batch.getResults();
});
