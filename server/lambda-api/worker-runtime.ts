// The worker process's side of `replayable serve`, playing Lambda's Node.js runtime: loads the
// handler once, then calls it for each invocation it is sent, one at a time, with a Lambda
// context, and sends back what it returned (or threw). The handler's own client reaches the
// server through AWS_ENDPOINT_URL_LAMBDA, which the server set in this process's environment.
import type { FromWorker, InvocationContextFields, ToWorker } from "./worker-messages.js";

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export async function serveInvocations(loadHandler: () => Promise<LambdaHandler>): Promise<void> {
  const send = (message: FromWorker) => process.send?.(message);
  let handler: LambdaHandler;
  try {
    handler = await loadHandler();
  } catch (error) {
    send({ type: "load-failed", message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 2;
    process.disconnect?.();
    return;
  }
  process.on("message", (message: ToWorker) => {
    if (message?.type !== "invoke") return;
    void (async () => {
      try {
        const output = await handler(message.event, lambdaContext(message.context));
        send({ type: "result", id: message.id, output });
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        send({ type: "error", id: message.id, error: { errorType: e.name, errorMessage: e.message, stackTrace: e.stack?.split("\n").slice(1).map((l) => l.trim()) } });
      }
    })();
  });
  // The server closes the channel when it stops: nothing more will come.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready" });
}

function lambdaContext(fields: InvocationContextFields) {
  const legacy = (what: string) => () => {
    throw new Error(`context.${what}() is the legacy callback API; a durable handler returns its result`);
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fields.functionName,
    functionVersion: fields.functionVersion,
    invokedFunctionArn: fields.invokedFunctionArn,
    memoryLimitInMB: "1024",
    awsRequestId: fields.awsRequestId,
    logGroupName: `/aws/lambda/${fields.functionName}`,
    logStreamName: `replayable-serve/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, fields.deadlineMs - Date.now()),
    done: legacy("done"),
    fail: legacy("fail"),
    succeed: legacy("succeed"),
  };
}
