import { BatchResultImpl, batchResultFromJson, batchResultToJson } from "../batch-result.js";
import type { ContextScope } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { ChildContextError } from "../errors.js";
import type { Serdes } from "../serdes.js";
import { BatchItemStatus, CompletionOutcome, type BatchItem, type BatchResult, type CompletionConfig, type CompletionReason } from "../types.js";
import { childContext } from "./child-context.js";
import { OperationSubType } from "../operation-model.js";

export interface BatchItemSpec<R> {
  name: string;
  run: (child: ContextScope) => Promise<R>;
}

export interface BatchOptions<R> {
  subType: string;
  itemSubType: string;
  maxConcurrency?: number | undefined;
  completionConfig?: CompletionConfig | undefined;
  itemSerdes?: Serdes<R> | undefined;
  serdes?: Serdes<BatchResult<R>> | undefined;
  summaryGenerator?: ((result: BatchResult<R>) => string) | undefined;
}

/** Decides whether a batch is done, with the same rules as the AWS SDK. */
export function completionReason(
  config: CompletionConfig | undefined,
  items: ReadonlyArray<{ name: string; status: BatchItemStatus }>,
): CompletionReason | undefined {
  const successCount = items.filter((i) => i.status === BatchItemStatus.SUCCEEDED).length;
  const failureCount = items.filter((i) => i.status === BatchItemStatus.FAILED).length;
  const completedCount = successCount + failureCount;
  const total = items.length;
  if (config?.shouldComplete) {
    const decision = config.shouldComplete({
      successCount,
      failureCount,
      completedCount,
      totalCount: total,
      items: items.map((i, index) => ({ index, name: i.name, status: i.status })),
    });
    if (decision.complete) return decision.outcome === CompletionOutcome.FAILED ? "CUSTOM_COMPLETION_FAILED" : "CUSTOM_COMPLETION_SUCCEEDED";
    return completedCount === total ? "ALL_COMPLETED" : undefined;
  }
  const hasCriteria = config !== undefined && Object.values(config).some((v) => v !== undefined);
  if (!hasCriteria) {
    if (failureCount > 0) return "FAILURE_TOLERANCE_EXCEEDED";
  } else {
    if (config.toleratedFailureCount !== undefined && failureCount > config.toleratedFailureCount) return "FAILURE_TOLERANCE_EXCEEDED";
    if (config.toleratedFailurePercentage !== undefined && total > 0 && (failureCount / total) * 100 > config.toleratedFailurePercentage)
      return "FAILURE_TOLERANCE_EXCEEDED";
  }
  if (completedCount === total) return "ALL_COMPLETED";
  if (config?.minSuccessful !== undefined && successCount >= config.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
  return undefined;
}

const ITEM_SUCCEEDED = "S";
const ITEM_FAILED = "F";
const ITEM_INCOMPLETE = "-";

/** What a batch records in place of a result over the payload limit: the AWS SDK's summary. */
function batchSummary<R>(type: "MapResult" | "ParallelResult", result: BatchResult<R>, custom: ((r: BatchResult<R>) => string) | undefined): string {
  const itemStatuses = result.all
    .map((i) => (i.status === BatchItemStatus.SUCCEEDED ? ITEM_SUCCEEDED : i.status === BatchItemStatus.FAILED ? ITEM_FAILED : ITEM_INCOMPLETE))
    .join("");
  const record: Record<string, unknown> = {
    type,
    totalCount: result.totalCount,
    successCount: result.successCount,
    failureCount: result.failureCount,
    ...(type === "ParallelResult" ? { startedCount: result.startedCount } : {}),
    completionReason: result.completionReason,
    status: result.status,
    itemStatuses,
  };
  if (custom) record.summary = custom(result);
  return JSON.stringify(record);
}

function parseSummary(summary: string | undefined): { itemStatuses: string; completionReason: CompletionReason } | undefined {
  try {
    const parsed = JSON.parse(summary ?? "") as { itemStatuses?: unknown; completionReason?: unknown };
    if (typeof parsed.itemStatuses === "string" && typeof parsed.completionReason === "string") {
      return { itemStatuses: parsed.itemStatuses, completionReason: parsed.completionReason as CompletionReason };
    }
  } catch {
    // not a batch summary
  }
  return undefined;
}

/** map and parallel: items run as child contexts under one batch context, bounded in concurrency. */
export function batch<R>(scope: ContextScope, name: string | undefined, specs: BatchItemSpec<R>[], options: BatchOptions<R>): DurablePromise<BatchResult<R>> {
  const resultSerdes: Pick<Serdes<BatchResult<R>>, "serialize" | "deserialize"> = options.serdes ?? {
    serialize: async (value) => (value === undefined ? undefined : batchResultToJson(value)),
    deserialize: async (data) => (data === undefined ? undefined : batchResultFromJson<R>(data)),
  };
  const runItem = (batchScope: ContextScope, index: number): Promise<BatchItem<R>> => {
    const spec = specs[index]!;
    return childContext<R>(batchScope, spec.name, spec.run, { subType: options.itemSubType, serdes: options.itemSerdes }).then(
      (result): BatchItem<R> => ({ index, status: BatchItemStatus.SUCCEEDED, ...(result !== undefined ? { result } : {}) }),
      (error: unknown): BatchItem<R> => ({ index, status: BatchItemStatus.FAILED, error: error instanceof ChildContextError ? error : new ChildContextError(String(error)) }),
    );
  };
  const drive = (batchScope: ContextScope) =>
    new Promise<BatchResult<R>>((resolve) => {
      const items: Array<BatchItem<R> & { name: string }> = specs.map((spec, index) => ({ index, name: spec.name, status: BatchItemStatus.STARTED }));
      const limit = options.maxConcurrency && options.maxConcurrency > 0 ? options.maxConcurrency : specs.length;
      let nextIndex = 0;
      let running = 0;
      let done = false;
      const finish = (reason: CompletionReason) => {
        done = true;
        resolve(new BatchResultImpl<R>(items.map(({ name: _n, ...item }) => ({ ...item })), reason));
      };
      const settle = () => {
        if (done) return;
        const reason = completionReason(options.completionConfig, items);
        if (reason) return finish(reason);
        startMore();
      };
      const startMore = () => {
        while (!done && running < limit && nextIndex < specs.length) {
          const index = nextIndex++;
          running++;
          void runItem(batchScope, index).then((item) => {
            running--;
            items[index] = { ...item, name: items[index]!.name };
            settle();
          });
        }
      };
      if (specs.length === 0) return finish("ALL_COMPLETED");
      startMore();
    });
  /**
   * Rebuilds a batch whose result was too large to store: the items the original run saw
   * complete replay from their records; the ones it left running stay STARTED, and the
   * recorded completion reason stands (as the AWS SDK's itemStatuses).
   */
  const replay = async (batchScope: ContextScope, summary: string | undefined): Promise<BatchResult<R>> => {
    const plan = parseSummary(summary);
    if (!plan) return drive(batchScope);
    const items = await Promise.all(
      specs.map((_spec, index): Promise<BatchItem<R>> | BatchItem<R> => {
        const status = plan.itemStatuses[index];
        return status === ITEM_SUCCEEDED || status === ITEM_FAILED ? runItem(batchScope, index) : { index, status: BatchItemStatus.STARTED };
      }),
    );
    return new BatchResultImpl<R>(items, plan.completionReason);
  };
  const type = options.subType === OperationSubType.MAP ? "MapResult" : "ParallelResult";
  return childContext<BatchResult<R>>(scope, name, drive, {
    subType: options.subType,
    serdes: resultSerdes,
    summaryGenerator: (result) => batchSummary(type, result, options.summaryGenerator),
    replayBody: replay,
  });
}
