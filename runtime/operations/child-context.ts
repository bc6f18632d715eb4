import type { ContextScope } from "../context-scope.js";
import { sourcePositionOf } from "../context-scope.js";
import { runInFrame } from "../context-usage.js";
import { DurablePromise } from "../durable-promise.js";
import { ChildContextError, DurableOperationError, durableErrorFromObject, errorToObject } from "../errors.js";
import { OperationSubType, type OperationRecord } from "../operation-model.js";
import type { Serdes } from "../serdes.js";
import type { ChildConfig } from "../types.js";

export interface ChildContextOptions<T> {
  subType?: string;
  serdes?: Pick<Serdes<T>, "serialize" | "deserialize"> | undefined;
  /** Turns the body's error (live or rebuilt from the journal) into the error the caller sees. */
  wrapError?: (error: DurableOperationError) => Error;
  sourcePosition?: string | undefined;
  /** What to record instead of a result over the payload limit (default ""). */
  summaryGenerator?: ((value: T) => string) | undefined;
  /** Re-runs the body when the result was not stored (ReplayChildren); given the recorded summary. Defaults to the body. */
  replayBody?: ((child: ContextScope, summary: string | undefined) => Promise<T>) | undefined;
  /**
   * A virtual context (NestingType.FLAT), as the AWS SDK's: no CONTEXT record, the body's
   * operations are recorded under the enclosing context, and every replay runs the body
   * again (its operations return their recorded results).
   */
  virtual?: boolean | undefined;
}

const childLabel = (subType: string): string => {
  switch (subType) {
    case OperationSubType.MAP_ITERATION:
      return "the map item";
    case OperationSubType.PARALLEL_BRANCH:
      return "the parallel branch";
    case OperationSubType.MAP:
      return "map";
    case OperationSubType.PARALLEL:
      return "parallel";
    case OperationSubType.WAIT_FOR_CALLBACK:
      return "waitForCallback";
    default:
      return "runInChildContext";
  }
};

const wrapInChildContextError = (error: DurableOperationError): Error => new ChildContextError(error.message, error, error.errorData);

/**
 * Runs a function in its own context: its operations are keyed under this operation's id.
 * Once the context has a recorded result, replays return it without re-entering the body.
 */
export function childContext<T>(
  scope: ContextScope,
  name: string | undefined,
  body: (child: ContextScope) => Promise<T>,
  options: ChildContextOptions<T> = {},
): DurablePromise<T> {
  const subType = options.subType ?? OperationSubType.RUN_IN_CHILD_CONTEXT;
  if (options.virtual) return virtualChildContext(scope, name, body, options, subType);
  const { ready } = scope.cursor.claim({ type: "CONTEXT", subType, name, sourcePosition: options.sourcePosition });
  const wrap = options.wrapError ?? wrapInChildContextError;
  // The body runs as this child's code: context methods it calls must be the child's (context-usage.ts).
  const frame = (id: string) => ({ kind: "child", id, description: `${childLabel(subType)}${name !== undefined ? ` "${name}"` : ""} (id ${id})` }) as const;
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    const journal = scope.invocation.journal;
    const serdes = options.serdes ?? scope.defaultSerdes;
    if (record?.Status === "SUCCEEDED" && record.ContextDetails?.ReplayChildren) {
      // The result was too large to store: rebuild it by re-running the body, whose
      // operations return their recorded results. Anything it does not reach again (items a
      // batch abandoned once it was complete) stays as it was.
      const replayBody = options.replayBody ?? body;
      const value = await runInFrame(frame(id), () => replayBody(scope.child(id, name), record.ContextDetails!.Result));
      journal.consumeDescendants(id);
      return scope.deserialize<T>(serdes, await scope.serialize(serdes, value, record), record);
    }
    if (record?.Status === "SUCCEEDED") {
      journal.consumeDescendants(id);
      return scope.deserialize<T>(serdes, record.ContextDetails?.Result, record);
    }
    if (record?.Status === "FAILED") {
      journal.consumeDescendants(id);
      throw wrap(durableErrorFromObject(record.ContextDetails?.Error ?? {}));
    }
    const started: OperationRecord = record ?? {
      Id: id,
      ParentId: scope.parentId,
      Name: name,
      Type: "CONTEXT",
      SubType: subType,
      Status: "STARTED",
      StartTimestamp: scope.now(),
      SourcePosition: options.sourcePosition,
    };
    if (!record) await scope.write(started);
    const hooks = scope.invocation.plugins;
    if (hooks) await hooks.operationStart(started, record !== undefined);
    // Whether the body's checkpointed children replay (the official SDK's replay mode of the child).
    const replayingChildren = hooks !== undefined && journal.unconsumedIn(id) > 0;
    const run = () => body(scope.child(id, name));
    let value: T;
    try {
      value = await runInFrame(frame(id), hooks ? () => hooks.wrapChildContext({ ...hooks.info(started, replayingChildren), isReplayingChildren: replayingChildren }, run) : run);
    } catch (error) {
      const errorObject = errorToObject(error);
      const failed: OperationRecord = { ...started, Status: "FAILED", EndTimestamp: scope.now(), ContextDetails: { Error: errorObject } };
      await scope.write(failed);
      const surfaced = error instanceof DurableOperationError ? error : durableErrorFromObject(errorObject);
      if (hooks) await hooks.operationEnd(failed, false, surfaced);
      throw wrap(surfaced);
    }
    const result = await scope.serialize(serdes, value, started);
    // As the AWS SDK: a result over the payload limit is not an error. The context records a
    // summary and ReplayChildren, and replays rebuild the result from its children.
    const tooLarge = result !== undefined && Buffer.byteLength(result, "utf8") > journal.maxPayloadBytes;
    const details = tooLarge ? { Result: options.summaryGenerator?.(value) ?? "", ReplayChildren: true } : { Result: result };
    const succeeded: OperationRecord = { ...started, Status: "SUCCEEDED", EndTimestamp: scope.now(), ContextDetails: details };
    await scope.write(succeeded);
    if (hooks) await hooks.operationEnd(succeeded, false);
    return scope.deserialize<T>(serdes, result, succeeded);
  });
}

/** A child context with no record of its own (see ChildContextOptions.virtual). */
function virtualChildContext<T>(
  scope: ContextScope,
  name: string | undefined,
  body: (child: ContextScope) => Promise<T>,
  options: ChildContextOptions<T>,
  subType: string,
): DurablePromise<T> {
  // The id is claimed when the call is issued, as any operation's, but nothing is recorded at it.
  const id = scope.cursor.nextId(name ?? subType);
  const wrap = options.wrapError ?? wrapInChildContextError;
  const frame = { kind: "child", id, description: `${childLabel(subType)}${name !== undefined ? ` "${name}"` : ""} (id ${id})` } as const;
  const operation = { Id: id, Name: name, Type: "CONTEXT", SubType: subType } as const;
  return new DurablePromise(async () => {
    const serdes = options.serdes ?? scope.defaultSerdes;
    const hooks = scope.invocation.plugins;
    // As the official SDK reports a context it never checkpoints: as met on replay.
    const unrecorded: OperationRecord = { ...operation, ParentId: scope.parentId, Status: "STARTED", StartTimestamp: scope.now() };
    if (hooks) await hooks.operationStart(unrecorded, true);
    const run = () => body(scope.virtualChild(id, name));
    let value: T;
    try {
      value = await runInFrame(frame, hooks ? () => hooks.wrapChildContext({ ...hooks.info(unrecorded, false), isReplayingChildren: false }, run) : run);
    } catch (error) {
      const surfaced = error instanceof DurableOperationError ? error : durableErrorFromObject(errorToObject(error));
      if (hooks) await hooks.operationEnd({ ...unrecorded, Status: "FAILED" }, true, surfaced);
      throw wrap(surfaced);
    }
    if (hooks) await hooks.operationEnd({ ...unrecorded, Status: "SUCCEEDED" }, true);
    // As a recorded context's result: the value passes through the serdes both ways.
    return scope.deserialize<T>(serdes, await scope.serialize(serdes, value, operation), operation);
  });
}

export function childContextOptions<T>(config: ChildConfig<T> | undefined, fn: unknown): ChildContextOptions<T> {
  const mapper = config?.errorMapper;
  return {
    subType: config?.subType,
    serdes: config?.serdes,
    summaryGenerator: config?.summaryGenerator,
    sourcePosition: sourcePositionOf(config, fn),
    ...(mapper ? { wrapError: (e: DurableOperationError) => mapper(wrapInChildContextError(e) as DurableOperationError) } : {}),
  };
}
