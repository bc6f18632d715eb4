import { BatchCompletionError, ChildContextError, durableErrorFromObject, errorToObjectWithCause } from "./errors.js";
import type { ErrorObject } from "./operation-model.js";
import { BatchItemStatus, type BatchItem, type BatchResult, type CompletionReason } from "./types.js";

export class BatchResultImpl<R> implements BatchResult<R> {
  constructor(
    readonly all: Array<BatchItem<R>>,
    readonly completionReason: CompletionReason,
  ) {}
  succeeded(): Array<BatchItem<R> & { result: R }> {
    return this.all.filter((i): i is BatchItem<R> & { result: R } => i.status === BatchItemStatus.SUCCEEDED && i.result !== undefined);
  }
  failed(): Array<BatchItem<R> & { error: ChildContextError }> {
    return this.all.filter((i): i is BatchItem<R> & { error: ChildContextError } => i.status === BatchItemStatus.FAILED && i.error !== undefined);
  }
  started(): Array<BatchItem<R> & { status: BatchItemStatus.STARTED }> {
    return this.all.filter((i): i is BatchItem<R> & { status: BatchItemStatus.STARTED } => i.status === BatchItemStatus.STARTED);
  }
  get status(): BatchItemStatus.SUCCEEDED | BatchItemStatus.FAILED {
    if (this.completionReason === "CUSTOM_COMPLETION_FAILED") return BatchItemStatus.FAILED;
    if (this.completionReason === "CUSTOM_COMPLETION_SUCCEEDED") return BatchItemStatus.SUCCEEDED;
    return this.hasFailure ? BatchItemStatus.FAILED : BatchItemStatus.SUCCEEDED;
  }
  get hasFailure(): boolean {
    return this.failureCount > 0;
  }
  throwIfError(): void {
    const firstError = this.all.find((i) => i.status === BatchItemStatus.FAILED)?.error;
    if (firstError) throw firstError;
    if (this.status === BatchItemStatus.FAILED) throw new BatchCompletionError(this.completionReason);
  }
  getResults(): R[] {
    return this.succeeded().map((i) => i.result);
  }
  getErrors(): ChildContextError[] {
    return this.failed().map((i) => i.error);
  }
  get successCount(): number {
    return this.all.filter((i) => i.status === BatchItemStatus.SUCCEEDED).length;
  }
  get failureCount(): number {
    return this.all.filter((i) => i.status === BatchItemStatus.FAILED).length;
  }
  get startedCount(): number {
    return this.all.filter((i) => i.status === BatchItemStatus.STARTED).length;
  }
  get totalCount(): number {
    return this.all.length;
  }
}

interface RecordedBatch {
  all: Array<{ index: number; status: BatchItemStatus; result?: unknown; error?: ErrorObject }>;
  completionReason: CompletionReason;
}

export function batchResultToJson(result: BatchResult<unknown>): string {
  const recorded: RecordedBatch = {
    all: result.all.map((i) => ({
      index: i.index,
      status: i.status,
      ...(i.result !== undefined ? { result: i.result } : {}),
      ...(i.error ? { error: errorToObjectWithCause(i.error) } : {}),
    })),
    completionReason: result.completionReason,
  };
  return JSON.stringify(recorded);
}

export function batchResultFromJson<R>(json: string): BatchResultImpl<R> {
  const recorded = JSON.parse(json) as RecordedBatch;
  return new BatchResultImpl<R>(
    recorded.all.map((i) => ({
      index: i.index,
      status: i.status,
      ...(i.result !== undefined ? { result: i.result as R } : {}),
      ...(i.error ? { error: asChildContextError(i.error) } : {}),
    })),
    recorded.completionReason,
  );
}

function asChildContextError(e: ErrorObject): ChildContextError {
  const rebuilt = durableErrorFromObject(e);
  return rebuilt instanceof ChildContextError ? rebuilt : new ChildContextError(e.ErrorMessage, rebuilt);
}
