// Errors the local service returns to the official SDK, shaped like the Lambda service's
// (name, a 4xx status in $metadata) and carrying the SDK's DurableExecutionClientError
// markers, so the SDK classifies them without guessing: INVOCATION ends this invocation
// (the execution resumes in a later one), EXECUTION fails the execution.

export type FailureScope = "INVOCATION" | "EXECUTION";

export class DurableServiceError extends Error {
  /** Recognised by the SDK structurally (isDurableExecutionClientError), whatever copy of it is loaded. */
  readonly isDurableExecutionClientError = true;
  readonly $metadata: { httpStatusCode: number };

  constructor(
    name: string,
    message: string,
    readonly scope: FailureScope,
    httpStatusCode = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = name;
    this.$metadata = { httpStatusCode };
  }
}

/**
 * The service's answer to a checkpoint token that is not the current one: a token from an
 * earlier checkpoint or invocation, of another execution, or made up. As on Lambda it ends
 * the invocation, not the execution.
 */
export function invalidCheckpointToken(reason: string): DurableServiceError {
  return new DurableServiceError("InvalidParameterValueException", `Invalid Checkpoint Token: ${reason}`, "INVOCATION");
}

/** A checkpoint the service refuses (an action the operation's state does not allow): the execution fails. */
export function invalidUpdate(message: string): DurableServiceError {
  return new DurableServiceError("InvalidParameterValueException", message, "EXECUTION");
}

/** The store could not commit the checkpoint (the claim was lost, the disk failed): this invocation ends, the execution resumes later. */
export function checkpointNotCommitted(cause: unknown): DurableServiceError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DurableServiceError("ServiceException", `The checkpoint was not committed: ${reason}`, "INVOCATION", 500, { cause });
}
