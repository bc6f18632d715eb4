import type { ErrorObject, OperationRecord, OperationStatus, OperationType } from "../runtime/index.js";
import type { HistoryEvent } from "../history/aws-history.js";
import { isTerminalStatus } from "../runtime/operation-model.js";

/** As the AWS testing SDK: which moment waitForData waits for. */
export enum WaitingOperationStatus {
  STARTED = "STARTED",
  SUBMITTED = "SUBMITTED",
  COMPLETED = "COMPLETED",
}

export interface TestResultError {
  errorMessage: string | undefined;
  errorType: string | undefined;
  errorData: string | undefined;
  stackTrace: string[] | undefined;
}

export interface ContextDetails<TResult = unknown> {
  readonly result: TResult | undefined;
  readonly error: TestResultError | undefined;
}
export interface StepDetails<TResult = unknown> {
  readonly attempt: number | undefined;
  readonly nextAttemptTimestamp: Date | undefined;
  readonly result: TResult | undefined;
  readonly error: TestResultError | undefined;
}
export interface CallbackDetails<TResult = unknown> {
  readonly callbackId: string;
  readonly error?: TestResultError;
  readonly result?: TResult;
}
export interface ChainedInvokeDetails<TResult = unknown> {
  readonly error?: TestResultError;
  readonly result?: TResult;
}
export interface WaitResultDetails {
  readonly waitSeconds?: number;
  readonly scheduledEndTimestamp?: Date;
}

export const toTestResultError = (e: ErrorObject | undefined): TestResultError | undefined =>
  e && { errorMessage: e.ErrorMessage, errorType: e.ErrorType, errorData: e.ErrorData, stackTrace: e.StackTrace };

/** As the AWS testing SDK: JSON when it parses, the raw string otherwise (callback results are raw). */
export const tryJsonParse = (data: string | undefined): any => {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
};
const parse = tryJsonParse;

/** What an operation view needs from its runner. */
export interface OperationHost {
  records(): OperationRecord[];
  /** The history events of one operation so far. */
  operationEvents(operationId: string): HistoryEvent[];
  whenOperation(predicate: () => boolean): Promise<void>;
  completeCallback(callbackOperationId: string, outcome: { result: string | undefined } | { error: ErrorObject | undefined }): void;
  heartbeatCallback(callbackOperationId: string): void;
  /** Test code holds this callback: its timeouts run on real time (callback-timers.ts). */
  holdCallback(callbackOperationId: string): void;
}

/**
 * A handle on one operation, found lazily (by name, index or id) so a test can ask for it
 * before the handler reaches it, then waitForData() until it does.
 */
export class DurableOperationView<TResult = any> {
  constructor(
    private readonly host: OperationHost,
    private readonly locate: () => OperationRecord | undefined,
  ) {}

  private get record(): OperationRecord | undefined {
    return this.locate();
  }

  private requireType(...types: OperationType[]): OperationRecord | undefined {
    const r = this.record;
    if (r && !types.includes(r.Type)) throw new Error(`Operation ${r.Id} is a ${r.Type}, not a ${types.join(" or ")}`);
    return r;
  }

  async waitForData(status: WaitingOperationStatus = WaitingOperationStatus.STARTED): Promise<DurableOperationView<TResult>> {
    await this.host.whenOperation(() => {
      const r = this.record;
      if (!r) return false;
      // As the official runner: a waitForCallback is STARTED once its callback exists (so it can
      // be completed), SUBMITTED once its submitter finished, COMPLETED once the callback did.
      if (this.isWaitForCallback()) {
        const callback = this.children().find((c) => c.Type === "CALLBACK");
        const submitter = this.children().find((c) => c.Type === "STEP");
        const callbackDone = callback !== undefined && isTerminalStatus(callback.Status);
        if (status === WaitingOperationStatus.STARTED) return callback !== undefined;
        if (status === WaitingOperationStatus.SUBMITTED) return callbackDone || (submitter !== undefined && isTerminalStatus(submitter.Status));
        return callbackDone || isTerminalStatus(r.Status);
      }
      if (status === WaitingOperationStatus.STARTED) return true;
      return isTerminalStatus(r.Status);
    });
    if (this.isCallback()) {
      const callback = this.callbackRecord();
      if (callback) this.host.holdCallback(callback.Id);
    }
    return this;
  }

  getOperationData(): OperationRecord | undefined {
    return this.record;
  }
  getId(): string | undefined {
    return this.record?.Id;
  }
  /** The operation's history events (those of getHistoryEvents() with its Id), as the official runner's. */
  getEvents(): HistoryEvent[] | undefined {
    const r = this.record;
    return r && this.host.operationEvents(r.Id);
  }
  getParentId(): string | undefined {
    return this.record?.ParentId;
  }
  getName(): string | undefined {
    return this.record?.Name;
  }
  getType(): OperationType | undefined {
    return this.record?.Type;
  }
  getSubType(): string | undefined {
    return this.record?.SubType;
  }
  getStatus(): OperationStatus | undefined {
    return this.record?.Status;
  }
  getStartTimestamp(): Date | undefined {
    return this.record?.StartTimestamp;
  }
  getEndTimestamp(): Date | undefined {
    return this.record?.EndTimestamp;
  }
  isWaitForCallback(): boolean {
    return this.record?.Type === "CONTEXT" && this.record.SubType === "WaitForCallback";
  }
  isCallback(): boolean {
    return this.record?.Type === "CALLBACK" || this.isWaitForCallback();
  }

  private children(): OperationRecord[] {
    const id = this.record?.Id;
    return id === undefined ? [] : this.host.records().filter((r) => r.ParentId === id);
  }

  getChildOperations(): DurableOperationView[] | undefined {
    if (!this.record) return undefined;
    return this.children().map((c) => new DurableOperationView(this.host, () => this.host.records().find((r) => r.Id === c.Id)));
  }

  getStepDetails(): StepDetails<TResult> | undefined {
    const r = this.requireType("STEP");
    if (!r) return undefined;
    const d = r.StepDetails;
    return { attempt: d?.Attempt, nextAttemptTimestamp: d?.NextAttemptTimestamp, result: parse(d?.Result), error: toTestResultError(d?.Error) };
  }

  getContextDetails(): ContextDetails<TResult> | undefined {
    const r = this.requireType("CONTEXT");
    if (!r) return undefined;
    return { result: parse(r.ContextDetails?.Result), error: toTestResultError(r.ContextDetails?.Error) };
  }

  getChainedInvokeDetails(): ChainedInvokeDetails<TResult> | undefined {
    const r = this.requireType("CHAINED_INVOKE");
    if (!r) return undefined;
    return { result: parse(r.ChainedInvokeDetails?.Result), error: toTestResultError(r.ChainedInvokeDetails?.Error) };
  }

  getWaitDetails(): WaitResultDetails | undefined {
    const r = this.requireType("WAIT");
    if (!r) return undefined;
    return { waitSeconds: r.WaitOptions?.WaitSeconds, scheduledEndTimestamp: r.WaitDetails?.ScheduledEndTimestamp };
  }

  /** The callback record itself, or the one inside a waitForCallback context. */
  private callbackRecord(): OperationRecord | undefined {
    const r = this.record;
    if (r?.Type === "CALLBACK") return r;
    if (this.isWaitForCallback()) return this.children().find((c) => c.Type === "CALLBACK");
    if (r) throw new Error(`Operation ${r.Id} (${r.SubType ?? r.Type}) is not a callback`);
    return undefined;
  }

  getCallbackDetails(): CallbackDetails<TResult> | undefined {
    const r = this.callbackRecord();
    if (!r) return undefined;
    return { callbackId: r.CallbackDetails?.CallbackId ?? "", result: parse(r.CallbackDetails?.Result), error: toTestResultError(r.CallbackDetails?.Error) };
  }

  private requireCallback(): OperationRecord {
    const r = this.callbackRecord();
    if (!r) throw new Error("The callback has not been created yet; await waitForData() first");
    return r;
  }

  async sendCallbackSuccess(result?: string): Promise<Record<string, never>> {
    this.host.completeCallback(this.requireCallback().Id, { result });
    return {};
  }
  async sendCallbackFailure(error?: ErrorObject): Promise<Record<string, never>> {
    this.host.completeCallback(this.requireCallback().Id, { error });
    return {};
  }
  async sendCallbackHeartbeat(): Promise<Record<string, never>> {
    this.host.heartbeatCallback(this.requireCallback().Id);
    return {};
  }
}
