// The official testing package's runner interface and its cloud runner, for code written
// against @aws/durable-execution-sdk-js-testing.
import type { DurableOperationView } from "./operation-view.js";
import type { TestResult } from "./test-result.js";
import type { InvocationType } from "./lambda-enums.js";

export interface InvokeRequest {
  payload?: unknown;
}

/** What both official runners implement; LocalDurableTestRunner implements it here. */
export interface DurableTestRunner<TDurableOperation = DurableOperationView, ResultType = any> {
  run(params?: InvokeRequest): Promise<TestResult<ResultType>>;
  getOperation(name: string): TDurableOperation;
  getOperationByIndex(index: number): TDurableOperation;
  getOperationByNameAndIndex(name: string, index: number): TDurableOperation;
  getOperationById(id: string): TDurableOperation;
}

export interface CloudDurableTestRunnerConfig {
  pollInterval?: number;
  invocationType?: InvocationType;
}

export interface CloudDurableTestRunnerParameters {
  functionName: string;
  client?: unknown;
  config?: CloudDurableTestRunnerConfig;
}

/**
 * Not supported: the official CloudDurableTestRunner drives a function deployed to AWS.
 * Kept as a name so code that imports it (and only constructs it for integration runs) loads.
 */
export class CloudDurableTestRunner<ResultType = any> implements DurableTestRunner<DurableOperationView, ResultType> {
  constructor(params?: CloudDurableTestRunnerParameters) {
    throw new Error(
      `CloudDurableTestRunner${params?.functionName ? ` (function "${params.functionName}")` : ""} is not supported by replayable/testing: it runs a function deployed to AWS. ` +
        "For integration tests against AWS import it from @aws/durable-execution-sdk-js-testing; to test locally use LocalDurableTestRunner.",
    );
  }
  run(): Promise<TestResult<ResultType>> {
    throw new Error("unreachable");
  }
  getOperation(): DurableOperationView {
    throw new Error("unreachable");
  }
  getOperationByIndex(): DurableOperationView {
    throw new Error("unreachable");
  }
  getOperationByNameAndIndex(): DurableOperationView {
    throw new Error("unreachable");
  }
  getOperationById(): DurableOperationView {
    throw new Error("unreachable");
  }
}
