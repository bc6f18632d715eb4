import type { LambdaContext } from "./types.js";

export interface LocalLambdaContextOptions {
  /** Unique per invocation, as on Lambda. */
  awsRequestId: string;
  functionName?: string | undefined;
  /** Lambda's timeout for the function, in ms (default 15 minutes). */
  timeoutMs?: number | undefined;
  /** The clock the remaining time is measured against (ms since epoch). */
  clock?: (() => number) | undefined;
}

const notAvailable = (what: string) => () => {
  throw new Error(`context.${what}() is the legacy Lambda callback API; a durable handler returns its result instead`);
};

/**
 * A Lambda-like invocation context for hosts that are not Lambda (the test runner, the local
 * engine): the fields of aws-lambda's Context with local values, and a remaining time that
 * counts down from the invocation's start on the host's clock.
 */
export function localLambdaContext(options: LocalLambdaContextOptions): LambdaContext {
  const functionName = options.functionName ?? "replayable-local-function";
  const clock = options.clock ?? Date.now;
  const deadline = clock() + (options.timeoutMs ?? 15 * 60_000);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: options.awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "replayable/local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock()),
    done: notAvailable("done"),
    fail: notAvailable("fail"),
    succeed: notAvailable("succeed"),
  };
}
