// The shape both runners share, as far as the compatibility scenarios use it.

export interface CompatOperation {
  waitForData(status?: any): Promise<CompatOperation>;
  getStatus(): string | undefined;
  getType(): string | undefined;
  sendCallbackSuccess(result?: string): Promise<unknown>;
  sendCallbackFailure(error?: { ErrorMessage?: string; ErrorType?: string }): Promise<unknown>;
  sendCallbackHeartbeat(): Promise<unknown>;
}

export interface CompatRunner {
  getOperation(name: string): CompatOperation;
}

export interface ScenarioExpectation {
  status: "SUCCEEDED" | "FAILED";
  /** The handler's result, compared with toEqual. */
  result?: unknown;
  /** For failed executions: the error message the runner reports. */
  errorMessage?: string;
  /** For failed executions whose message differs between runners past a shared shape: matched instead of errorMessage. */
  errorMessageMatch?: RegExp;
  /** Operation name -> status after the run. */
  operations?: Record<string, string>;
  /** The names of result.getOperations(), in the runner's order (start order). */
  operationOrder?: Array<string | undefined>;
  /** How many invocations result.getInvocations() reports. */
  invocations?: number;
}

export interface ScenarioSetup {
  handler: unknown;
  payload?: unknown;
  functions?: Record<string, (event: any) => Promise<unknown>>;
  /** Runs beside runner.run(): plays the outside world (callbacks). */
  interact?: (runner: CompatRunner) => Promise<void>;
  /** Replaces runner.run({ payload }) (and interact): for scenarios about the runner itself, or that set up the process around the run. */
  drive?: (runner: any) => Promise<any>;
  /** Further assertions (with vitest's expect) on the result. */
  check?: (result: any, runner: any) => void | Promise<void>;
}

export interface Scenario {
  name: string;
  setup: () => ScenarioSetup;
  expected: ScenarioExpectation;
}

/** What scenarios return when they catch an error: its class name, message and cause. */
export const describeError = (e: unknown) => {
  const error = e as { name?: string; message?: string; cause?: { message?: string } };
  return { name: error.name, message: error.message, cause: error.cause?.message };
};
