// Lambda's errors as the API returns them over restJson1: an HTTP status, the error's name in
// X-Amzn-ErrorType, and { Type, message } as the body, which @aws-sdk/client-lambda turns into
// the exception class of that name (ResourceNotFoundException, ...).

export class LambdaApiError extends Error {
  constructor(
    name: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = name;
  }
}

export const notFound = (message: string) => new LambdaApiError("ResourceNotFoundException", 404, message);
export const invalidParameter = (message: string) => new LambdaApiError("InvalidParameterValueException", 400, message);
export const invalidRequestContent = (message: string) => new LambdaApiError("InvalidRequestContentException", 400, message);
export const tooLarge = (message: string) => new LambdaApiError("RequestTooLargeException", 413, message);
export const conflict = (message: string) => new LambdaApiError("ResourceConflictException", 409, message);
export const alreadyStarted = (message: string) => new LambdaApiError("DurableExecutionAlreadyStartedException", 409, message);
export const unknownOperation = (method: string, path: string) =>
  new LambdaApiError("UnknownOperationException", 404, `replayable serve speaks Invoke and the durable execution APIs of Lambda; ${method} ${path} is none of them.`);

/** Any error as Lambda would answer it: its own status for Lambda and service errors, 500 ServiceException otherwise. */
export function asLambdaError(error: unknown): LambdaApiError {
  if (error instanceof LambdaApiError) return error;
  const { name, message, $metadata } = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if ($metadata?.httpStatusCode !== undefined && name) return new LambdaApiError(name, $metadata.httpStatusCode, message ?? name);
  return new LambdaApiError("ServiceException", 500, `replayable serve failed: ${message ?? String(error)}`);
}
