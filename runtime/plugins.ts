// Calls the instrumentation plugins of withDurableExecution(handler, { plugins }) at the points
// the official SDK 2.4.0 calls them (plugin-types.ts for the API). One PluginHooks per run of
// the handler; operations call it only when plugins are configured (Invocation.plugins), so a
// handler without plugins runs exactly as before. The replay check never calls plugins.
import { durableErrorFromObject } from "./errors.js";
import { isTerminalStatus, type OperationRecord } from "./operation-model.js";
import type {
  AttemptEndInfo,
  AttemptEndInfoOutcome,
  AttemptInfo,
  CustomerFn,
  DurableInstrumentationPlugin,
  InvocationEndInfo,
  InvocationInfo,
  OperationInfo,
} from "./plugin-types.js";
import type { DurableExecutionInvocationOutput } from "./lambda/wire.js";

type NotifyHook = "onInvocationStart" | "onInvocationEnd" | "onOperationStart" | "onOperationEnd" | "onOperationAttemptStart" | "onOperationAttemptEnd" | "onOperationChange";
type WrapHook = "wrapInvocation" | "wrapChildContextFn" | "wrapOperationAttemptFn";

export interface PluginHooksOptions {
  executionArn: string;
  /** The records as the invocation knows them now (for the info's full operations map). */
  records: () => Iterable<OperationRecord>;
  /** The id the service shows for an operation (Lambda: the digest of the keyed id); default the id itself. */
  serviceIdOf?: ((id: string) => string) | undefined;
  /** Counts a hook as in-flight work, so the invocation cannot be declared suspended while one runs. */
  track: <T>(work: () => Promise<T>) => Promise<T>;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === "function";

export class PluginHooks {
  /** Ids of the operations the host changed before this round (the invocation's updatedOperations). */
  private updated = new Set<string>();

  constructor(
    private readonly plugins: readonly DurableInstrumentationPlugin[],
    private readonly options: PluginHooksOptions,
  ) {}

  // --- infos -------------------------------------------------------------------------------

  private idOf(record: Pick<OperationRecord, "Id" | "Type">): string {
    return record.Type === "EXECUTION" || !this.options.serviceIdOf ? record.Id : this.options.serviceIdOf(record.Id);
  }

  /** An operation's info from its record, as the official SDK's toOperationInfo (fields left unset are absent). */
  info(record: OperationRecord, isReplay: boolean): OperationInfo {
    const info: OperationInfo = { id: this.idOf(record), type: record.Type, isReplay };
    const parentId = record.ParentId === undefined ? undefined : (this.options.serviceIdOf?.(record.ParentId) ?? record.ParentId);
    const result = record.StepDetails?.Result ?? record.CallbackDetails?.Result ?? record.ContextDetails?.Result ?? record.ChainedInvokeDetails?.Result;
    const error = record.StepDetails?.Error ?? record.CallbackDetails?.Error ?? record.ContextDetails?.Error ?? record.ChainedInvokeDetails?.Error;
    const fields: Partial<OperationInfo> = {
      name: record.Name,
      subType: record.SubType,
      parentId,
      status: record.Status,
      startTimestamp: record.StartTimestamp,
      endTimestamp: record.EndTimestamp,
      result,
      error: error ? durableErrorFromObject(error) : undefined,
      attempt: record.StepDetails?.Attempt,
    };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (info as unknown as Record<string, unknown>)[key] = value;
    return info;
  }

  private map(records: Iterable<OperationRecord>): Record<string, OperationInfo> {
    const out: Record<string, OperationInfo> = {};
    for (const record of records) out[this.idOf(record)] = this.info(record, false);
    return out;
  }

  /** Whether the host changed this operation before the round (a wait that fired): met then, it is not a replay. */
  wasUpdated(id: string): boolean {
    return this.updated.has(id);
  }

  // --- dispatch ----------------------------------------------------------------------------

  /** Calls one hook on every plugin at once and waits for all; what a hook throws is swallowed. */
  private async notify(hook: NotifyHook, info: unknown): Promise<void> {
    if (!this.plugins.some((p) => p[hook])) return;
    await this.options.track(() =>
      Promise.allSettled(
      this.plugins.map(async (plugin) => {
        const method = plugin[hook] as ((info: unknown) => unknown) | undefined;
        await method?.call(plugin, info);
      }),
      ),
    );
  }

  /**
   * Runs fn through every plugin's wrapper, the first plugin outermost. fn runs once: a
   * wrapper that throws on its own (not fn's error) is skipped, and fn still runs if no
   * wrapper called it; fn's own error always reaches the caller.
   */
  private wrap<R>(hook: WrapHook, info: unknown, fn: () => R): R {
    let called = false;
    let fnResult: unknown;
    let fnError: { error: unknown } | undefined;
    const guarded = (): unknown => {
      if (called) return fnResult;
      called = true;
      try {
        fnResult = fn();
      } catch (error) {
        fnError = { error };
        throw error;
      }
      if (isThenable(fnResult)) {
        fnResult = Promise.resolve(fnResult).catch((error: unknown) => {
          fnError = { error };
          throw error;
        });
      }
      return fnResult;
    };
    const chain = this.plugins.reduceRight<() => unknown>((next, plugin) => {
      const wrapper = plugin[hook] as ((info: unknown, fn: () => unknown) => unknown) | undefined;
      if (!wrapper) return next;
      return () => {
        try {
          return wrapper.call(plugin, info, next);
        } catch {
          if (fnError) throw fnError.error;
          return next();
        }
      };
    }, guarded);
    let out: unknown;
    try {
      out = chain();
    } catch {
      if (fnError) throw fnError.error;
      out = guarded();
    }
    if (isThenable(out)) {
      return Promise.resolve(out).then(
        (value) => {
          if (fnError) throw fnError.error;
          return called ? value : guarded();
        },
        () => {
          if (fnError) throw fnError.error;
          return guarded();
        },
      ) as R;
    }
    if (fnError) throw fnError.error;
    return (called ? out : guarded()) as R;
  }

  /** The fields every plugin's enrichLogContext adds to the default logger's lines (a throwing plugin adds none). */
  logFields(): Record<string, unknown> | undefined {
    let fields: Record<string, unknown> | undefined;
    for (const plugin of this.plugins) {
      if (!plugin.enrichLogContext) continue;
      try {
        fields = { ...fields, ...plugin.enrichLogContext() };
      } catch {
        // A plugin never affects logging.
      }
    }
    return fields;
  }

  // --- invocation --------------------------------------------------------------------------

  /** The invocation's info at the start of a round; `updatedIds` are the records the host changed before it. */
  invocationInfo(base: { requestId: string; executionInput: unknown; isFirstInvocation: boolean }, updatedIds: Iterable<string>): InvocationInfo {
    this.updated = new Set(updatedIds);
    const records = [...this.options.records()];
    const execution = records.find((r) => r.Type === "EXECUTION");
    return {
      requestId: base.requestId,
      executionArn: this.options.executionArn,
      executionInput: base.executionInput,
      operations: this.map(records),
      ...(execution ? { executionStartTimestamp: execution.StartTimestamp } : {}),
      isFirstInvocation: base.isFirstInvocation,
      updatedOperations: this.map(records.filter((r) => this.updated.has(r.Id))),
    };
  }

  invocationStart(info: InvocationInfo): Promise<void> {
    return this.notify("onInvocationStart", info);
  }

  wrapInvocation(info: InvocationInfo, fn: () => Promise<DurableExecutionInvocationOutput>): Promise<DurableExecutionInvocationOutput> {
    return this.wrap("wrapInvocation", info, fn);
  }

  invocationEnd(start: InvocationInfo, end: Pick<InvocationEndInfo, "status" | "executionResult" | "executionError">): Promise<void> {
    const info: InvocationEndInfo = {
      requestId: start.requestId,
      executionArn: start.executionArn,
      executionInput: start.executionInput,
      operations: this.map(this.options.records()),
      ...(start.executionStartTimestamp ? { executionStartTimestamp: start.executionStartTimestamp } : {}),
      isFirstInvocation: start.isFirstInvocation,
      status: end.status,
      ...(end.executionResult !== undefined ? { executionResult: end.executionResult } : {}),
      ...(end.executionError !== undefined ? { executionError: end.executionError } : {}),
    };
    return this.notify("onInvocationEnd", info);
  }

  // --- operations --------------------------------------------------------------------------

  operationStart(record: OperationRecord, isReplay: boolean): Promise<void> {
    return this.notify("onOperationStart", this.info(record, isReplay));
  }

  operationEnd(record: OperationRecord, isReplay: boolean, error?: Error): Promise<void> {
    const info = this.info(record, isReplay);
    if (error) info.error = error;
    return this.notify("onOperationEnd", info);
  }

  /**
   * An operation met through its record (a wait, callback or invoke the handler issued before):
   * done, it ends (as a replay, unless the host completed it just before this invocation); not
   * done, it starts as a replay.
   */
  metRecorded(record: OperationRecord): Promise<void> {
    if (isTerminalStatus(record.Status)) return this.operationEnd(record, !this.updated.has(record.Id));
    return this.operationStart(record, true);
  }

  /** A record that changed while this invocation waited on it: the operation ends if it is done. */
  async resumed(record: OperationRecord): Promise<void> {
    if (isTerminalStatus(record.Status)) await this.operationEnd(record, false);
  }

  /** A new state the invocation wrote: reported with the full map when its status changed. */
  async changed(previous: OperationRecord | undefined, record: OperationRecord): Promise<void> {
    if (previous?.Status === record.Status || !this.plugins.some((p) => p.onOperationChange)) return;
    await this.notify("onOperationChange", {
      executionArn: this.options.executionArn,
      updatedOperations: this.map([record]),
      operations: this.map(this.options.records()),
    });
  }

  // --- attempts and wrapped user functions -------------------------------------------------

  /** The info of an attempt (a step body, a waitForCondition check) starting now. */
  attemptInfo(record: OperationRecord, attempt: number, startedAt: Date): AttemptInfo {
    return { ...this.info(record, false), attempt, startTimestamp: startedAt };
  }

  attemptStart(info: AttemptInfo): Promise<void> {
    return this.notify("onOperationAttemptStart", info);
  }

  /** The attempt's end: its own start and end time, the operation's state after its checkpoint. */
  attemptEnd(attempt: AttemptInfo, record: OperationRecord, outcome: AttemptEndInfoOutcome, endedAt: Date, error?: Error): Promise<void> {
    const info: AttemptEndInfo = {
      ...this.info(record, false),
      attempt: attempt.attempt,
      startTimestamp: attempt.startTimestamp!,
      endTimestamp: endedAt,
      outcome,
    };
    if (error) info.error = error;
    else delete info.error;
    return this.notify("onOperationAttemptEnd", info);
  }

  wrapAttempt<T>(info: AttemptInfo, fn: () => T): T {
    return this.wrap("wrapOperationAttemptFn", info, fn as CustomerFn) as T;
  }

  wrapChildContext<T>(info: OperationInfo, fn: () => T): T {
    return this.wrap("wrapChildContextFn", info, fn as CustomerFn) as T;
  }
}

/** The plugins configured for a handler, or undefined without any. */
export function pluginHooksFor(plugins: readonly DurableInstrumentationPlugin[] | undefined, options: PluginHooksOptions): PluginHooks | undefined {
  return plugins && plugins.length > 0 ? new PluginHooks(plugins, options) : undefined;
}
