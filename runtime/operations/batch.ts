import { BatchResultImpl, batchResultFromJson, batchResultToJson } from "../batch-result.js";
import type { ContextScope } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { ChildContextError } from "../errors.js";
import type { Serdes } from "../serdes.js";
import { BatchItemStatus, CompletionOutcome, NestingType, type BatchItem, type BatchResult, type CompletionConfig, type CompletionReason, type CompletionStatus } from "../types.js";
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
  /** FLAT: items run in virtual contexts, with no CONTEXT record of their own. */
  nesting?: NestingType | undefined;
}

/** The items as a shouldComplete predicate sees them: an item not started yet has no status. */
type ItemView = { index: number; name: string; status: BatchItemStatus | undefined };

function hasThresholds(config: CompletionConfig | undefined): config is CompletionConfig {
  return config !== undefined && Object.values(config).some((v) => v !== undefined);
}

/**
 * Whether the batch may start more items, as the AWS SDK's shouldContinue: not once a
 * failure breaks the tolerance (with no criteria: any failure), nor once a custom predicate
 * says the batch is complete.
 */
function mayContinue(config: CompletionConfig | undefined, status: CompletionStatus): boolean {
  if (config?.shouldComplete) return !config.shouldComplete(status).complete;
  if (!hasThresholds(config)) return status.failureCount === 0;
  if (config.toleratedFailureCount !== undefined && status.failureCount > config.toleratedFailureCount) return false;
  if (config.toleratedFailurePercentage !== undefined && (status.failureCount / status.totalCount) * 100 > config.toleratedFailurePercentage) return false;
  return true;
}

/** Whether the batch is done, as the AWS SDK's isComplete: every item finished, or the success criterion is met. */
function isComplete(config: CompletionConfig | undefined, status: CompletionStatus): boolean {
  if (status.completedCount === status.totalCount) return true;
  if (config?.shouldComplete) return config.shouldComplete(status).complete;
  return config?.minSuccessful !== undefined && status.successCount >= config.minSuccessful;
}

/** Why a batch completed, with the same rules as the AWS SDK's getCompletionReason. */
export function completionReason(config: CompletionConfig | undefined, status: CompletionStatus): CompletionReason {
  if (config?.shouldComplete) {
    const decision = config.shouldComplete(status);
    if (decision.complete) return decision.outcome === CompletionOutcome.FAILED ? "CUSTOM_COMPLETION_FAILED" : "CUSTOM_COMPLETION_SUCCEEDED";
    return "ALL_COMPLETED";
  }
  if (!hasThresholds(config)) {
    if (status.failureCount > 0) return "FAILURE_TOLERANCE_EXCEEDED";
  } else {
    if (config.toleratedFailureCount !== undefined && status.failureCount > config.toleratedFailureCount) return "FAILURE_TOLERANCE_EXCEEDED";
    if (config.toleratedFailurePercentage !== undefined && (status.failureCount / status.totalCount) * 100 > config.toleratedFailurePercentage)
      return "FAILURE_TOLERANCE_EXCEEDED";
  }
  if (status.completedCount === status.totalCount) return "ALL_COMPLETED";
  if (config?.minSuccessful !== undefined && status.successCount >= config.minSuccessful) return "MIN_SUCCESSFUL_REACHED";
  return "ALL_COMPLETED";
}

function completionStatus(items: readonly ItemView[]): CompletionStatus {
  const successCount = items.filter((i) => i.status === BatchItemStatus.SUCCEEDED).length;
  const failureCount = items.filter((i) => i.status === BatchItemStatus.FAILED).length;
  return {
    successCount,
    failureCount,
    completedCount: successCount + failureCount,
    totalCount: items.length,
    items: items.map((i) => ({ index: i.index, name: i.name, status: i.status })),
  };
}

/**
 * A configuration the AWS SDK refuses before the batch starts (it ends the execution, as a
 * deterministic configuration error that no retry can fix): the message, or undefined.
 */
export function invalidBatchConfig(maxConcurrency: number | undefined, completion: CompletionConfig | undefined): string | undefined {
  if (maxConcurrency !== undefined && maxConcurrency !== null && maxConcurrency <= 0) {
    return `Invalid maxConcurrency: ${maxConcurrency}. Must be a positive number or undefined for unlimited concurrency.`;
  }
  const c = completion as (CompletionConfig & Record<string, unknown>) | undefined;
  if (c?.shouldComplete !== undefined && (c.minSuccessful !== undefined || c.toleratedFailureCount !== undefined || c.toleratedFailurePercentage !== undefined)) {
    return "completionConfig.shouldComplete is mutually exclusive with minSuccessful, toleratedFailureCount, and toleratedFailurePercentage";
  }
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
  const invalid = invalidBatchConfig(options.maxConcurrency, options.completionConfig);
  if (invalid !== undefined) {
    // As the AWS SDK: the execution ends before the batch starts (no record), uncatchable.
    const { invocation } = scope;
    return new DurablePromise(() => invocation.fail(new Error(invalid)));
  }
  const resultSerdes: Pick<Serdes<BatchResult<R>>, "serialize" | "deserialize"> = options.serdes ?? {
    serialize: async (value) => (value === undefined ? undefined : batchResultToJson(value)),
    deserialize: async (data) => (data === undefined ? undefined : batchResultFromJson<R>(data)),
  };
  const runItem = (batchScope: ContextScope, index: number): Promise<BatchItem<R>> => {
    const spec = specs[index]!;
    const virtual = options.nesting === NestingType.FLAT;
    return childContext<R>(batchScope, spec.name, spec.run, { subType: options.itemSubType, serdes: options.itemSerdes, virtual }).then(
      (result): BatchItem<R> => ({ index, status: BatchItemStatus.SUCCEEDED, ...(result !== undefined ? { result } : {}) }),
      (error: unknown): BatchItem<R> => ({ index, status: BatchItemStatus.FAILED, error: error instanceof ChildContextError ? error : new ChildContextError(String(error)) }),
    );
  };
  /**
   * Runs the items as the AWS SDK does: in index order, at most maxConcurrency at a time; no
   * new item starts once the failure tolerance is broken; the batch completes when every item
   * finished or the success criterion is met. Its result holds only the items that started
   * (one still running at completion is STARTED); items never started are not in it.
   */
  const drive = (batchScope: ContextScope) =>
    new Promise<BatchResult<R>>((resolve) => {
      const items: ItemView[] = specs.map((spec, index) => ({ index, name: spec.name, status: undefined }));
      const results: Array<BatchItem<R> | undefined> = specs.map(() => undefined);
      const limit = options.maxConcurrency ?? Infinity;
      let nextIndex = 0;
      let running = 0;
      let done = false;
      const finish = () => {
        done = true;
        const started = results.filter((item): item is BatchItem<R> => item !== undefined).map((item) => ({ ...item }));
        resolve(new BatchResultImpl<R>(started, completionReason(options.completionConfig, completionStatus(items))));
      };
      const startMore = () => {
        while (!done && running < limit && nextIndex < specs.length && mayContinue(options.completionConfig, completionStatus(items))) {
          const index = nextIndex++;
          running++;
          items[index]!.status = BatchItemStatus.STARTED;
          results[index] = { index, status: BatchItemStatus.STARTED };
          void runItem(batchScope, index).then((item) => {
            running--;
            if (done) return; // finished after the batch completed: not part of its result
            results[index] = item;
            items[index]!.status = item.status;
            const status = completionStatus(items);
            if (isComplete(options.completionConfig, status) || !mayContinue(options.completionConfig, status)) finish();
            else startMore();
          });
        }
      };
      if (specs.length === 0) return finish();
      startMore();
      // A custom predicate may complete the batch before any item starts.
      if (running === 0 && !done) finish();
    });
  /**
   * Rebuilds a batch whose result was too large to store: the items the original run saw
   * complete replay from their records; the ones it left running stay STARTED, and the
   * recorded completion reason stands (as the AWS SDK's itemStatuses).
   */
  const replay = async (batchScope: ContextScope, summary: string | undefined): Promise<BatchResult<R>> => {
    const plan = parseSummary(summary);
    if (!plan) return drive(batchScope);
    // itemStatuses covers the items that started (a prefix: items start in index order).
    const items = await Promise.all(
      specs.slice(0, plan.itemStatuses.length).map((_spec, index): Promise<BatchItem<R>> | BatchItem<R> => {
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
