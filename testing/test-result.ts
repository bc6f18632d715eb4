import type { ErrorObject, OperationRecord, OperationStatus } from "../runtime/index.js";
import type { HistoryEvent } from "../history/aws-history.js";
import type { ExecutionStatus } from "./lambda-enums.js";
import { DurableOperationView, toTestResultError, tryJsonParse, type OperationHost, type TestResultError } from "./operation-view.js";

export interface Invocation {
  startTimestamp: Date | undefined;
  endTimestamp: Date | undefined;
  requestId: string | undefined;
  error: TestResultError | undefined;
}

/** The outcome of LocalDurableTestRunner.run(), shaped like the AWS testing SDK's TestResult. */
export class TestResult<TResult = any> {
  constructor(
    private readonly host: OperationHost,
    private readonly status: "SUCCEEDED" | "FAILED",
    private readonly result: string | undefined,
    private readonly error: ErrorObject | undefined,
    private readonly invocations: Invocation[],
    private readonly unconsumed: string[],
    private readonly history: () => HistoryEvent[],
  ) {}

  /** One of ExecutionStatus: a completed run is SUCCEEDED or FAILED. */
  getStatus(): Extract<ExecutionStatus, "SUCCEEDED" | "FAILED"> {
    return this.status;
  }
  getResult(): TResult | undefined {
    return tryJsonParse(this.result) as TResult | undefined;
  }
  getError(): TestResultError {
    if (this.status === "SUCCEEDED") throw new Error("Cannot get error for succeeded execution");
    return toTestResultError(this.error) ?? { errorMessage: undefined, errorType: undefined, errorData: undefined, stackTrace: undefined };
  }
  getOperations(params?: { status: OperationStatus }): DurableOperationView[] {
    return this.host
      .records()
      .filter((r: OperationRecord) => r.Type !== "EXECUTION" && (!params || r.Status === params.status))
      .map((r) => new DurableOperationView(this.host, () => this.host.records().find((x) => x.Id === r.Id)));
  }
  /** The execution's history in AWS's event vocabulary (the events of GetDurableExecutionHistory), as the official runner returns it. */
  getHistoryEvents(): HistoryEvent[] {
    return this.history();
  }
  getInvocations(): Invocation[] {
    return this.invocations;
  }
  /** replayable extra: recorded operations the completed execution's last replay never reached. */
  getUnconsumedOperationIds(): string[] {
    return this.unconsumed;
  }
  print(): void {
    console.table(
      this.getOperations().map((op) => ({ parentId: op.getParentId(), name: op.getName(), type: op.getType(), subType: op.getSubType(), status: op.getStatus() })),
    );
  }
}
