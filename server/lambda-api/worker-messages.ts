// What `replayable serve` and its worker processes say to each other over the IPC channel:
// the Lambda runtime's part (an event and a context in, the handler's answer out).

export interface InvocationContextFields {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** When the invocation times out, ms since the epoch. */
  deadlineMs: number;
}

export type ToWorker = { type: "invoke"; id: number; event: unknown; context: InvocationContextFields };

export type FromWorker =
  | { type: "ready" }
  | { type: "load-failed"; message: string }
  | { type: "result"; id: number; output: unknown }
  | { type: "error"; id: number; error: { errorType: string; errorMessage: string; stackTrace?: string[] } };
