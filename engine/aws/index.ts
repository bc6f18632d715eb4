// Durable functions written with the official AWS SDK (@aws/durable-execution-sdk-js) on
// replayable's engine: the engine plays the durable execution service behind the SDK's
// durableExecutionClient. Nothing here imports the SDK.
export { fromAwsSdk, serviceRunner } from "./from-aws-sdk.js";
export type { AwsDurableLambdaHandler, AwsSdkFunctionOptions, EngineRunnableAwsHandler, ServiceInvoke, ServiceRunnerOptions } from "./from-aws-sdk.js";
export { ExecutionService, DEFAULT_PAGE_SIZE } from "./execution-service.js";
export type { ExecutionServiceOptions } from "./execution-service.js";
export { DurableServiceError } from "./service-errors.js";
export type * from "./wire.js";
