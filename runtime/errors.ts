import type { ErrorObject } from "./operation-model.js";
import type { CompletionReason } from "./types.js";

/** Base class for the errors a durable operation rethrows, recorded or live. */
export abstract class DurableOperationError extends Error {
  abstract readonly errorType: string;
  override cause?: Error;
  errorData?: string;
  stackTrace?: string[];
  constructor(message: string, cause?: Error, errorData?: string) {
    super(message);
    this.name = new.target.name;
    this.cause = cause;
    this.errorData = errorData;
  }
  static fromErrorObject(errorObject: ErrorObject): DurableOperationError {
    return durableErrorFromObject(errorObject);
  }
  toErrorObject(): ErrorObject {
    return { ErrorType: this.errorType, ErrorMessage: this.message, ErrorData: this.errorData, StackTrace: undefined };
  }
}

export class StepError extends DurableOperationError {
  readonly errorType = "StepError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Step failed", cause, errorData);
  }
}
export class CallbackError extends DurableOperationError {
  readonly errorType: string = "CallbackError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}
export class CallbackExternalError extends CallbackError {
  override readonly errorType = "CallbackExternalError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback failed", cause, errorData);
  }
}
export class CallbackTimeoutError extends CallbackError {
  override readonly errorType = "CallbackTimeoutError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback timed out", cause, errorData);
  }
}
export class CallbackSubmitterError extends CallbackError {
  override readonly errorType = "CallbackSubmitterError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Callback submitter failed", cause, errorData);
  }
}
export class InvokeError extends DurableOperationError {
  readonly errorType = "InvokeError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Invoke failed", cause, errorData);
  }
}
export class ChildContextError extends DurableOperationError {
  readonly errorType = "ChildContextError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Child context failed", cause, errorData);
  }
}
export class PromiseCombinatorError extends DurableOperationError {
  readonly errorType = "PromiseCombinatorError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Promise combinator failed", cause, errorData);
  }
}
export class WaitForConditionError extends DurableOperationError {
  readonly errorType = "WaitForConditionError";
  constructor(message?: string, cause?: Error, errorData?: string) {
    super(message || "Wait for condition failed", cause, errorData);
  }
}
export class BatchCompletionError extends DurableOperationError {
  readonly errorType = "BatchCompletionError";
  constructor(
    readonly completionReason: CompletionReason,
    message?: string,
    cause?: Error,
    errorData?: string,
  ) {
    super(message || `Batch completed as failed (${completionReason})`, cause, errorData);
  }
}

/** Raised into the retry strategy when an at-most-once step was started but never finished. */
export class StepInterruptedError extends Error {
  constructor(stepId: string, stepName?: string) {
    super(`The step execution process was initiated but failed to reach completion due to an interruption.`);
    this.name = "StepInterruptedError";
    this.stepId = stepId;
    this.stepName = stepName;
  }
  readonly stepId: string;
  readonly stepName: string | undefined;
}

/**
 * The handler issued operations that do not match the journal. It fails the execution:
 * the handler cannot catch it (the operation that detected it never settles).
 */
export class NonDeterministicExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NonDeterministicExecutionError";
  }
}

/** A value could not be serialized or deserialized, or exceeded the payload limit. */
export class SerdesFailedError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SerdesFailedError";
  }
}

/** Records any thrown value the way the AWS SDK does: type, message, optional data. */
export function errorToObject(error: unknown): ErrorObject {
  if (error instanceof DurableOperationError) return error.toErrorObject();
  if (error instanceof Error) {
    return { ErrorType: error.name, ErrorMessage: error.message, ErrorData: undefined, StackTrace: undefined };
  }
  return { ErrorType: "Error", ErrorMessage: String(error), ErrorData: undefined, StackTrace: undefined };
}

/** An error with its chain of causes, as the official SDK records a batch item's error. */
export function errorToObjectWithCause(error: unknown): ErrorObject {
  const object = errorToObject(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined || cause === error ? object : { ...object, Cause: errorToObjectWithCause(cause) };
}

function causeFrom(errorObject: ErrorObject): Error {
  if (errorObject.Cause) return durableErrorFromObject(errorObject.Cause);
  const cause = new Error(errorObject.ErrorMessage);
  cause.name = errorObject.ErrorType || "Error";
  return cause;
}

/** Rebuilds the error an operation rethrows from its record (same mapping as the AWS SDK). */
export function durableErrorFromObject(errorObject: ErrorObject): DurableOperationError {
  const cause = causeFrom(errorObject);
  const message = errorObject.ErrorMessage;
  const data = errorObject.ErrorData;
  switch (errorObject.ErrorType) {
    case "CallbackError":
      return new CallbackError(message, cause, data);
    case "CallbackExternalError":
      return new CallbackExternalError(message, cause, data);
    case "CallbackTimeoutError":
      return new CallbackTimeoutError(message, cause, data);
    case "CallbackSubmitterError":
      return new CallbackSubmitterError(message, cause, data);
    case "InvokeError":
      return new InvokeError(message, cause, data);
    case "ChildContextError":
      return new ChildContextError(message, cause, data);
    case "WaitForConditionError":
      return new WaitForConditionError(message, cause, data);
    case "PromiseCombinatorError":
      return new PromiseCombinatorError(message, cause, data);
    default:
      return new StepError(message || (errorObject.ErrorType === "StepError" ? "Step failed" : "Unknown error"), cause, data);
  }
}
