// Values the official testing package re-exports from @aws-sdk/client-lambda, as plain
// constants here so replayable/testing needs no AWS client.

export const ExecutionStatus = {
  FAILED: "FAILED",
  RUNNING: "RUNNING",
  STOPPED: "STOPPED",
  SUCCEEDED: "SUCCEEDED",
  TIMED_OUT: "TIMED_OUT",
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

/** How the cloud runner invokes the function; the local runner runs every invocation in-process either way. */
export const InvocationType = {
  DryRun: "DryRun",
  Event: "Event",
  RequestResponse: "RequestResponse",
} as const;
export type InvocationType = (typeof InvocationType)[keyof typeof InvocationType];
