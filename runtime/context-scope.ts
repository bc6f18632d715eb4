import { SerdesFailedError } from "./errors.js";
import type { Invocation } from "./invocation.js";
import { describeRecord } from "./journal.js";
import { createContextLogger, type LoggerSettings } from "./logger.js";
import type { OperationRecord } from "./operation-model.js";
import { ReplayCursor } from "./replay-cursor.js";
import { defaultSerdes, type AnySerdes, type Serdes } from "./serdes.js";
import { SeededRandom } from "./deterministic.js";
import type { DurableContextLogger, DurableLogger } from "./types.js";

/**
 * Everything one durable context needs to issue operations: the shared invocation, its
 * own replay cursor and random generator. Operations take a scope; DurableContext is a
 * thin facade over it.
 *
 * A context's operations record `parentId` as their ParentId, and take their ids under
 * `contextId`. The two are the same except in a virtual context (a map item or parallel
 * branch with NestingType.FLAT): it has no CONTEXT record of its own, so its operations
 * name the enclosing context as their parent, while their ids stay under the item's own
 * (unrecorded) id, so two items' operations never share an id.
 */
export class ContextScope {
  readonly cursor: ReplayCursor;
  readonly random: SeededRandom;
  /** The id this context's operation ids are built under (the context's own id; undefined at the root). */
  readonly contextId: string | undefined;

  constructor(
    readonly invocation: Invocation,
    readonly parentId: string | undefined,
    readonly loggerSettings: LoggerSettings,
    contextId: string | undefined = parentId,
    /** A child context's name: with its id, the operation its log lines name (as the official SDK's getDurableLogData). */
    private readonly contextName?: string,
  ) {
    this.contextId = contextId;
    this.cursor = new ReplayCursor(invocation, parentId, contextId);
    this.random = new SeededRandom(`${invocation.executionArn}\u0000${contextId ?? ""}`);
  }

  child(id: string, name?: string): ContextScope {
    return new ContextScope(this.invocation, id, this.loggerSettings.forChild(), id, name);
  }

  /** A context with no record of its own: its operations' ids go under `id`, their ParentId stays this context's. */
  virtualChild(id: string, name?: string): ContextScope {
    return new ContextScope(this.invocation, this.parentId, this.loggerSettings.forChild(), id, name);
  }

  now(): Date {
    return new Date(this.invocation.clock());
  }

  get defaultSerdes(): AnySerdes {
    return this.invocation.serdesConfig.defaultSerdes ?? defaultSerdes;
  }

  /** Writes a record and waits until it is durable; counts as in-flight work meanwhile. */
  write(record: OperationRecord, options?: { deferred?: boolean }): Promise<void> {
    const { journal, plugins } = this.invocation;
    const previous = plugins && journal.get(record.Id);
    return this.invocation.track(async () => {
      try {
        await journal.write(record, options);
      } catch (error) {
        await this.invocation.fail(asError(error));
      }
      // As the official SDK reports a checkpoint's answer: the operation's new state, once durable.
      if (plugins) await plugins.changed(previous, record);
    });
  }

  /**
   * Serializes a value for a record. A value that cannot be stored fails the execution here.
   * Counts as in-flight work: a serdes may be slow and asynchronous (an upload to S3), and
   * the invocation must not be declared suspended while it runs.
   */
  serialize<T>(serdes: Pick<Serdes<T>, "serialize">, value: T | undefined, operation: Pick<OperationRecord, "Id" | "Name" | "Type" | "SubType">): Promise<string | undefined> {
    return this.invocation.track(async () => {
      try {
        return await serdes.serialize(value, { entityId: operation.Id, durableExecutionArn: this.invocation.executionArn });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return this.invocation.fail(new SerdesFailedError(`The result of ${describeRecord(operation)} cannot be checkpointed: ${reason}`, error));
      }
    });
  }

  /** Deserializes a recorded value; in-flight work like serialize. */
  deserialize<T>(serdes: Pick<Serdes<T>, "deserialize">, data: string | undefined, operation: Pick<OperationRecord, "Id" | "Name" | "Type" | "SubType">): Promise<T> {
    return this.invocation.track(async () => {
      try {
        return (await serdes.deserialize(data, { entityId: operation.Id, durableExecutionArn: this.invocation.executionArn })) as T;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return this.invocation.fail(new SerdesFailedError(`The recorded result of ${describeRecord(operation)} cannot be deserialized: ${reason}`, error));
      }
    });
  }

  /** A logger whose log data names `extra`'s operation (a step), else this context's own (none at the root). */
  logger<L extends DurableLogger>(extra: { operationId?: string; operationName?: string; attempt?: number } = this.ownOperation(), inStep = false): DurableContextLogger<L> {
    return createContextLogger<L>(
      this.loggerSettings,
      () => !inStep && this.cursor.isReplaying,
      () => ({ requestId: this.invocation.requestId, executionArn: this.invocation.executionArn, ...extra }),
    );
  }

  private ownOperation(): { operationId?: string; operationName?: string } {
    if (this.contextId === undefined) return {};
    return this.contextName === undefined ? { operationId: this.contextId } : { operationId: this.contextId, operationName: this.contextName };
  }
}

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The transformer may attach a source position to the function or config it passes. */
export const SOURCE_POSITION = Symbol.for("replayable.sourcePosition");
export function sourcePositionOf(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    if ((typeof c === "object" || typeof c === "function") && c !== null) {
      const position = (c as { [SOURCE_POSITION]?: unknown })[SOURCE_POSITION];
      if (typeof position === "string") return position;
    }
  }
  return undefined;
}
