// replayable/engine: runs durable executions locally on a store that survives the process.
// Not imported by the runtime entry (`replayable`): Lambda bundles never carry it.
export { Engine, createEngine, childExecutionId, executionArnOf } from "./engine.js";
export type { EngineOptions } from "./engine.js";
export type { EngineEvent } from "./engine-events.js";
export { MemoryStore } from "./memory-store.js";
export { SqliteStore, StoreFileError } from "./sqlite-store.js";
export { PostgresStore } from "./stores/postgres-store.js";
export type { PostgresStoreOptions } from "./stores/postgres-store.js";
export { connectStore } from "./stores/connect-store.js";
export { LeaseLostError } from "./store.js";
export type { EngineStore, ExecutionRow, ExecutionStatus, Lease, Signal, StoredSignal, CommitBatch } from "./store.js";
export type { ExecutionFilter } from "./store-rules.js";
export { CallbackNotWaitingError, ExecutionNotStoppableError, UnknownCallbackError } from "./input-checks.js";
export { encryptPayloads, PayloadKeyError } from "./payload-encryption.js";
export type { PayloadKey, PayloadEncryptionOptions } from "./payload-encryption.js";
// Handlers written with the official @aws/durable-execution-sdk-js, run on this engine.
export { fromAwsSdk } from "./aws/index.js";
export type { AwsDurableLambdaHandler, AwsSdkFunctionOptions } from "./aws/index.js";
