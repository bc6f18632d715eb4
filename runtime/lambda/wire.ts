// Lambda's durable execution protocol as both sides speak it: the invocation event, the
// checkpoint and state calls, the output. Declared here, not imported, so nothing depends on
// the AWS packages; the shapes follow @aws-sdk/client-lambda's (the official SDK's wire model).
import type { ErrorObject, OperationStatus, OperationType } from "../operation-model.js";

export type OperationAction = "START" | "SUCCEED" | "FAIL" | "RETRY" | "CANCEL";

/** An operation as the service returns it: timestamps are Dates in API responses, ISO strings in the invocation event. */
export interface WireOperation {
  Id: string;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType;
  SubType?: string | undefined;
  Status: OperationStatus;
  StartTimestamp: Date | string | undefined;
  EndTimestamp?: Date | string | undefined;
  ExecutionDetails?: { InputPayload?: string | undefined } | undefined;
  ContextDetails?: { ReplayChildren?: boolean | undefined; Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  StepDetails?:
    | { Attempt?: number | undefined; NextAttemptTimestamp?: Date | string | undefined; Result?: string | undefined; Error?: ErrorObject | undefined }
    | undefined;
  WaitDetails?: { ScheduledEndTimestamp?: Date | string | undefined } | undefined;
  CallbackDetails?: { CallbackId?: string | undefined; Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
  ChainedInvokeDetails?: { Result?: string | undefined; Error?: ErrorObject | undefined } | undefined;
}

/** One requested state transition in a checkpoint (the SDK's OperationUpdate). */
export interface OperationUpdate {
  Id: string | undefined;
  ParentId?: string | undefined;
  Name?: string | undefined;
  Type: OperationType | undefined;
  SubType?: string | undefined;
  Action: OperationAction | undefined;
  Payload?: string | undefined;
  Error?: ErrorObject | undefined;
  ContextOptions?: { ReplayChildren?: boolean | undefined } | undefined;
  StepOptions?: { NextAttemptDelaySeconds?: number | undefined } | undefined;
  WaitOptions?: { WaitSeconds?: number | undefined } | undefined;
  CallbackOptions?: { TimeoutSeconds?: number | undefined; HeartbeatTimeoutSeconds?: number | undefined } | undefined;
  ChainedInvokeOptions?: { FunctionName: string | undefined; TenantId?: string | undefined } | undefined;
}

export interface CheckpointDurableExecutionRequest {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Updates?: OperationUpdate[] | undefined;
  ClientToken?: string | undefined;
}

export interface CheckpointDurableExecutionResponse {
  CheckpointToken?: string | undefined;
  NewExecutionState: { Operations?: WireOperation[] | undefined; NextMarker?: string | undefined } | undefined;
}

export interface GetDurableExecutionStateRequest {
  DurableExecutionArn: string | undefined;
  CheckpointToken: string | undefined;
  Marker?: string | undefined;
  MaxItems?: number | undefined;
}

export interface GetDurableExecutionStateResponse {
  Operations: WireOperation[] | undefined;
  NextMarker?: string | undefined;
}

/** What the SDK calls through `durableExecutionClient` (its DurableExecutionClient interface). */
export interface DurableExecutionClient {
  getExecutionState(params: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse>;
  checkpoint(params: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse>;
}

/** The Lambda event the service sends a durable function (the SDK's DurableExecutionInvocationInput). */
export interface DurableExecutionInvocationInput {
  DurableExecutionArn: string;
  CheckpointToken: string;
  /** Operations whose state changed outside the function since its previous invocation; absent when unknown. */
  UpdatedOperationIds?: string[] | undefined;
  InitialExecutionState: { Operations: WireOperation[]; NextMarker?: string | undefined };
}

/** What the SDK's handler returns (its DurableExecutionInvocationOutput). */
export interface DurableExecutionInvocationOutput {
  Status: string;
  Result?: string | undefined;
  Error?: ErrorObject | undefined;
}
