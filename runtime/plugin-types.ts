// The instrumentation plugin API of @aws/durable-execution-sdk-js 2.4.0 (experimental there),
// mirrored name for name so a plugin written for the official SDK type-checks and runs on
// replayable. Where replayable says more, it is marked: the invocation-end info carries
// isFirstInvocation, a context function's info isReplayingChildren, and an attempt's end info
// its endTimestamp (fields AWS's conformance suite asks for and 2.4.0 lacks).
import type { DurableExecutionInvocationOutput } from "./lambda/wire.js";

/** The version of the provider contract (environment-loaded plugins); see DEVIATIONS in conformance/. */
export const DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION = 1;

export const PluginInvocationStatus = {
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  PENDING: "PENDING",
  /** The invocation failed in a way Lambda retries (the execution goes on in a new invocation). */
  RETRYING: "RETRYING",
} as const;
export type PluginInvocationStatus = (typeof PluginInvocationStatus)[keyof typeof PluginInvocationStatus];

export const PluginOperationStatus = {
  STARTED: "STARTED",
  READY: "READY",
  PENDING: "PENDING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  TIMED_OUT: "TIMED_OUT",
  STOPPED: "STOPPED",
  CANCELLED: "CANCELLED",
} as const;
export type PluginOperationStatus = (typeof PluginOperationStatus)[keyof typeof PluginOperationStatus];

export const AttemptEndInfoOutcome = { SUCCEEDED: "SUCCEEDED", FAILED: "FAILED" } as const;
export type AttemptEndInfoOutcome = (typeof AttemptEndInfoOutcome)[keyof typeof AttemptEndInfoOutcome];

/** A durable operation as a plugin sees it: the id is the one the service's history shows. */
export interface OperationInfo {
  id: string;
  name?: string;
  type: string;
  subType?: string;
  parentId?: string;
  status?: PluginOperationStatus;
  startTimestamp?: Date;
  endTimestamp?: Date;
  /** The checkpointed (serialized) result. */
  result?: string;
  /** The error the operation failed with, rebuilt from its checkpointed error. */
  error?: Error;
  /** The attempt number (1-based) where it applies (steps, waitForCondition). */
  attempt?: number;
  /** Whether this operation was met through checkpointed state rather than started now. */
  isReplay: boolean;
  /** replayable: on a context function's info, whether its checkpointed children replay. */
  isReplayingChildren?: boolean;
}
export interface OperationEndInfo extends OperationInfo {
  error?: Error;
}
export interface AttemptInfo extends OperationInfo {
  attempt: number;
}
export interface AttemptEndInfo extends AttemptInfo {
  outcome: AttemptEndInfoOutcome;
  error?: Error;
}

export interface InvocationBaseInfo {
  requestId: string;
  executionArn: string;
  executionInput: unknown;
  operations: Record<string, OperationInfo>;
  /** When the execution started (the same in every invocation of it). */
  executionStartTimestamp?: Date;
}
export interface InvocationInfo extends InvocationBaseInfo {
  isFirstInvocation: boolean;
  /** Operations the service changed since the previous invocation (a wait that fired, a callback, an invoke). */
  updatedOperations: Record<string, OperationInfo>;
}
export interface InvocationEndInfo extends InvocationBaseInfo {
  status: PluginInvocationStatus;
  executionResult?: unknown;
  executionError?: Error;
  /** replayable: the same invocation's first-invocation flag. */
  isFirstInvocation?: boolean;
}
export interface OperationChangeInfo {
  executionArn: string;
  updatedOperations: Record<string, OperationInfo>;
  operations: Record<string, OperationInfo>;
}

export type CustomerFnResult = unknown;
export type CustomerFn = () => CustomerFnResult;

/**
 * Lifecycle hooks, as the official SDK calls them: every on* hook is awaited before execution
 * goes past its point; hooks of several plugins run concurrently; what a hook throws (or
 * rejects with) is swallowed and never changes the execution. wrap* hooks wrap a function (a
 * step attempt, a child context's body, the invocation) and must call it once.
 */
export interface DurableInstrumentationPlugin {
  onInvocationStart?(info: InvocationInfo): Promise<void>;
  wrapInvocation?(info: InvocationInfo, fn: () => Promise<DurableExecutionInvocationOutput>): Promise<DurableExecutionInvocationOutput>;
  onInvocationEnd?(info: InvocationEndInfo): Promise<void>;
  onOperationStart?(info: OperationInfo): Promise<void>;
  wrapChildContextFn?(info: OperationInfo, fn: CustomerFn): CustomerFnResult;
  onOperationEnd?(info: OperationEndInfo): Promise<void>;
  onOperationAttemptStart?(info: AttemptInfo): Promise<void>;
  wrapOperationAttemptFn?(info: AttemptInfo, fn: CustomerFn): CustomerFnResult;
  onOperationAttemptEnd?(info: AttemptEndInfo): Promise<void>;
  onOperationChange?(info: OperationChangeInfo): Promise<void>;
  /** Fields the default logger adds to every line. */
  enrichLogContext?(): Record<string, string | number | boolean> | undefined;
}

export type DurableInstrumentationPluginType<Plugin extends DurableInstrumentationPlugin = DurableInstrumentationPlugin> = abstract new (...args: never[]) => Plugin;

/**
 * The official SDK's error for plugins named in DURABLE_EXECUTION_PLUGINS that cannot be loaded.
 * Exported so code that imports it keeps working; replayable does not load plugins from the
 * environment yet (conformance/DEVIATIONS.md), so it never throws one.
 */
export class PluginLoadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`Dynamic plugin configuration failed: ${message}`, options);
    this.name = "PluginLoadError";
  }
}

export interface DurableInstrumentationPluginProvider<Plugin extends DurableInstrumentationPlugin = DurableInstrumentationPlugin> {
  readonly pluginApiVersion: typeof DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION;
  readonly pluginType: DurableInstrumentationPluginType<Plugin>;
  createPlugin(): Plugin;
}
