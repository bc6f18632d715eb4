// replayable: the API of @aws/durable-execution-sdk-js over a keyed journal that catches divergence.
export { withDurableExecution } from "./with-durable-execution.js";
export type { DurableLambdaHandler } from "./with-durable-execution.js";
export { DurablePromise } from "./durable-promise.js";
export * from "./types.js";
export {
  DurableOperationError,
  StepError,
  CallbackError,
  CallbackExternalError,
  CallbackTimeoutError,
  CallbackSubmitterError,
  InvokeError,
  ChildContextError,
  PromiseCombinatorError,
  WaitForConditionError,
  BatchCompletionError,
  StepInterruptedError,
  NonDeterministicExecutionError,
  SerdesFailedError,
} from "./errors.js";
export { createRetryStrategy, createLinearRetryStrategy, retryPresets } from "./retry-strategy.js";
export type { RetryStrategyConfig, LinearRetryStrategyConfig } from "./retry-strategy.js";
export { createWaitStrategy } from "./wait-strategy.js";
export type { WaitStrategyConfig } from "./wait-strategy.js";
export { defaultSerdes, createClassSerdes, createClassSerdesWithDates } from "./serdes.js";
export type { Serdes, SerdesContext, SerdesConfig, AnySerdes, AnySerdesDeserializer } from "./serdes.js";
export { OperationType, OperationStatus, OperationSubType } from "./operation-model.js";
export type { OperationRecord, ErrorObject } from "./operation-model.js";
export { DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION, PluginInvocationStatus, PluginOperationStatus, AttemptEndInfoOutcome, PluginLoadError } from "./plugin-types.js";
export type {
  DurableInstrumentationPlugin,
  DurableInstrumentationPluginProvider,
  DurableInstrumentationPluginType,
  OperationInfo,
  OperationEndInfo,
  AttemptInfo,
  AttemptEndInfo,
  InvocationBaseInfo,
  InvocationInfo,
  InvocationEndInfo,
  OperationChangeInfo,
  CustomerFn,
  CustomerFnResult,
} from "./plugin-types.js";
export { deterministic } from "./deterministic.js";
export type { DeterministicHelpers } from "./deterministic.js";
export { SOURCE_POSITION } from "./context-scope.js";
// Hosts (testing/, the engine) import the invocation machinery from its modules directly:
// run-invocation.js, with-durable-execution.js (durableHandlerOf), journal.js (JournalStore).
