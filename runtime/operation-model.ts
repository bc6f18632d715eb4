// The journal's record format. It follows the AWS durable execution operation model
// (Id, ParentId, Name, Type, SubType, Status, timestamps, per-type details) so a store
// written by replayable can later serve the official SDK.

export const OperationType = {
  CALLBACK: "CALLBACK",
  CHAINED_INVOKE: "CHAINED_INVOKE",
  CONTEXT: "CONTEXT",
  EXECUTION: "EXECUTION",
  STEP: "STEP",
  WAIT: "WAIT",
} as const;
export type OperationType = (typeof OperationType)[keyof typeof OperationType];

export const OperationStatus = {
  CANCELLED: "CANCELLED",
  FAILED: "FAILED",
  PENDING: "PENDING",
  READY: "READY",
  STARTED: "STARTED",
  STOPPED: "STOPPED",
  SUCCEEDED: "SUCCEEDED",
  TIMED_OUT: "TIMED_OUT",
} as const;
export type OperationStatus = (typeof OperationStatus)[keyof typeof OperationStatus];

export enum OperationSubType {
  STEP = "Step",
  WAIT = "Wait",
  CALLBACK = "Callback",
  RUN_IN_CHILD_CONTEXT = "RunInChildContext",
  MAP = "Map",
  MAP_ITERATION = "MapIteration",
  PARALLEL = "Parallel",
  PARALLEL_BRANCH = "ParallelBranch",
  WAIT_FOR_CALLBACK = "WaitForCallback",
  WAIT_FOR_CONDITION = "WaitForCondition",
  CHAINED_INVOKE = "ChainedInvoke",
}

/** replayable's own sub types: values recorded by context.now() and patch markers. */
export const ReplayableSubType = {
  NOW: "Now",
  PATCH: "Patch",
} as const;

export interface ErrorObject {
  ErrorMessage?: string | undefined;
  ErrorType?: string | undefined;
  ErrorData?: string | undefined;
  StackTrace?: string[] | undefined;
  /** The error's cause, as the official SDK records it in a batch summary's items. */
  Cause?: ErrorObject | undefined;
}

export interface OperationRecord {
  Id: string;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType;
  SubType?: string | undefined;
  Status: OperationStatus;
  StartTimestamp: Date;
  EndTimestamp?: Date | undefined;
  ExecutionDetails?: { InputPayload?: string | undefined } | undefined;
  /**
   * ReplayChildren: the context's result was over the payload limit, so Result holds a
   * summary (or "") and replays re-run the context's body against its recorded children.
   */
  ContextDetails?: { Result?: string | undefined; Error?: ErrorObject | undefined; ReplayChildren?: boolean | undefined } | undefined;
  StepDetails?:
    | { Attempt?: number | undefined; NextAttemptTimestamp?: Date | undefined; Result?: string | undefined; Error?: ErrorObject | undefined }
    | undefined;
  WaitDetails?: { ScheduledEndTimestamp?: Date | undefined } | undefined;
  CallbackDetails?: { CallbackId?: string | undefined; Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  ChainedInvokeDetails?: { Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  // The request options the AWS service keeps beside an operation; the host needs them to
  // fire timers and run invokes.
  WaitOptions?: { WaitSeconds?: number | undefined } | undefined;
  CallbackOptions?: { TimeoutSeconds?: number | undefined; HeartbeatTimeoutSeconds?: number | undefined } | undefined;
  ChainedInvokeOptions?: { FunctionName: string; TenantId?: string | undefined; InputPayload?: string | undefined } | undefined;
  /** Source position of the call, when the transformer supplied one. */
  SourcePosition?: string | undefined;
}

export const isTerminalStatus = (status: OperationStatus): boolean =>
  status === "SUCCEEDED" || status === "FAILED" || status === "TIMED_OUT" || status === "CANCELLED" || status === "STOPPED";
