import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which code is running, as the AWS SDK's validateContextUsage sees it: handler code runs
 * with no active frame, a step body (or a waitForCondition check, or a waitForCallback
 * submitter) runs in a "step code" frame, and a child context's body (runInChildContext,
 * a map item, a parallel branch) runs in a "child" frame keyed by the child's id.
 *
 * An operation issued on a context other than the active frame's cannot work: inside step
 * code it would suspend a body that the invocation waits on, so the run would never end;
 * on a parent context inside a child it would take ids from the wrong context. The AWS SDK
 * ends the execution (FAILED, a plain Error "Context usage error in ...") in both cases,
 * and so does replayable, with the SDK's message followed by its own explanation.
 */
export type ActiveFrame =
  | { kind: "step"; id: string; description: string }
  | { kind: "child"; id: string; description: string };

const frames = new AsyncLocalStorage<ActiveFrame>();

/**
 * The error that ends such an execution. Its name stays "Error" so the recorded ErrorType is
 * the AWS SDK's (it terminates with a plain Error); the class lets the test runner tell it
 * apart (the replay check cannot re-run step code, so it does not check these runs).
 */
export class ContextUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Error";
  }
}

/** Runs fn (and every continuation it schedules) as the given frame. */
export function runInFrame<T>(frame: ActiveFrame, fn: () => T): T {
  return frames.run(frame, fn);
}

/**
 * The error for an operation issued on the context whose scope id is contextId (undefined
 * for the handler's own context), or undefined when that use is valid where it happens.
 */
export function contextUsageError(operation: string, contextId: string | undefined): ContextUsageError | undefined {
  const frame = frames.getStore();
  if (!frame || frame.id === contextId) return undefined;
  // The official SDK's wording first (tests match on it), then what replayable knows more.
  const official =
    `Context usage error in "${operation}": You are using a parent or sibling context instead of the current child context. ` +
    `Expected context ID: "${frame.id}", but got: "${contextId}". When inside runInChildContext(), you must use the child context parameter, not the parent context.`;
  if (frame.kind === "step") {
    return new ContextUsageError(
      `${official} Durable operations cannot run inside step code, and this one was called while ${frame.description} was running: ` +
        `move the operation out of the step into orchestration code, or use runInChildContext to group several operations.`,
    );
  }
  return new ContextUsageError(
    `${official} It was called on a parent or sibling context inside ${frame.description}: ` +
      `inside runInChildContext(), map() or parallel(), use the context passed to the function, not an outer one.`,
  );
}
