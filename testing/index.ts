// replayable/testing: run durable handlers in-process with virtual time and a replay check.
// Mirrors every export of @aws/durable-execution-sdk-js-testing 1.1.4 (see README, "Testing").
export { LocalDurableTestRunner } from "./local-durable-test-runner.js";
export type { LocalDurableTestRunnerParameters, LocalDurableTestRunnerSetupParameters } from "./local-durable-test-runner.js";
export { CloudDurableTestRunner } from "./durable-test-runner.js";
export type { DurableTestRunner, InvokeRequest, CloudDurableTestRunnerConfig, CloudDurableTestRunnerParameters } from "./durable-test-runner.js";
export { DurableOperationView, WaitingOperationStatus } from "./operation-view.js";
export type {
  DurableOperationView as DurableOperation,
  TestResultError,
  ContextDetails,
  StepDetails,
  CallbackDetails,
  ChainedInvokeDetails,
  WaitResultDetails,
} from "./operation-view.js";
export { TestResult } from "./test-result.js";
export type { Invocation } from "./test-result.js";
export { ExecutionStatus, InvocationType } from "./lambda-enums.js";
export type { HistoryEvent } from "../history/aws-history.js";
export { ReplayDivergenceError } from "./replay-check.js";
export { MemoryJournalStore } from "./memory-journal-store.js";
export { VirtualClock } from "./virtual-clock.js";
export { OperationStatus, OperationType } from "../runtime/index.js";
// As the official package: Operation has Date timestamps (replayable's record: the same fields,
// and the request options it keeps beside them); WireOperation is the shape on the wire, whose
// timestamps may be ISO strings.
export type { OperationRecord as Operation } from "../runtime/index.js";
export type { WireOperation } from "../runtime/lambda/wire.js";
