// replayable/testing: run durable handlers in-process with virtual time and a replay check.
export { LocalDurableTestRunner } from "./local-durable-test-runner.js";
export type { LocalDurableTestRunnerParameters } from "./local-durable-test-runner.js";
export { DurableOperationView, WaitingOperationStatus } from "./operation-view.js";
export type { DurableOperationView as DurableOperation, TestResultError } from "./operation-view.js";
export { TestResult } from "./test-result.js";
export type { Invocation, ExecutionStatus } from "./test-result.js";
export { ReplayDivergenceError } from "./replay-check.js";
export { MemoryJournalStore } from "./memory-journal-store.js";
export { VirtualClock } from "./virtual-clock.js";
export { OperationStatus, OperationType } from "../runtime/index.js";
