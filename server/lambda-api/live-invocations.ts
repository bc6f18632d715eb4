// The invocations in progress, each with the ExecutionService (engine/aws) playing Lambda's
// durable execution service for it: an engine function runs each invocation in a worker
// process and registers its service under the DurableExecutionArn, and the worker's
// CheckpointDurableExecution and GetDurableExecutionState calls are routed to it.
import { serviceRunner, type ExecutionService } from "../../engine/aws/index.js";
import { invalidCheckpointToken } from "../../engine/aws/service-errors.js";
import { ENGINE_RUNNER } from "../../engine/function-runner.js";
import type { InvocationEnd } from "../../history/invocation-boundaries.js";
import type { CheckpointDurableExecutionRequest } from "../../runtime/lambda/wire.js";
import { executionArnOf, functionArn, type FunctionVersion } from "./functions.js";
import { invalidParameter } from "./lambda-errors.js";
import { IMPORT_MODULE_ERROR, InvocationError, type WorkerPool } from "./worker-pool.js";

const OPERATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Invocations in a row whose handler failed to load before the execution fails (a module that throws on load is not retried forever). */
const LOAD_ATTEMPTS = 3;
/** Lambda's longest invocation. */
const INVOCATION_TIMEOUT_MS = 15 * 60_000;
/** Failed invocations remembered for their executions' histories (the oldest are forgotten first; after a restart they show as Runtime.ExitError). */
const REMEMBERED_FAILURES = 10_000;

export class LiveInvocations {
  private readonly live = new Map<string, ExecutionService>();
  /** Executions whose last invocations' handler failed to load, and how many times in a row. */
  private readonly loadFailures = new Map<string, number>();
  /** How the invocations whose worker failed ended, by request id: the engine records no end for them. */
  private readonly failedEnds = new Map<string, InvocationEnd>();

  /** `exists(arn)` throws the API's not-found error for an execution that does not exist. */
  constructor(
    private readonly exists: (arn: string) => Promise<unknown>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** How an invocation ended when its worker failed (its history's InvocationCompleted error). */
  failedEnd(requestId: string): InvocationEnd | undefined {
    return this.failedEnds.get(requestId);
  }

  /** What the engine registers for a function version: each invocation goes to a worker of `pool`. */
  functionFor(version: Pick<FunctionVersion, "version" | "engineName"> & { definition: { name: string } }, pool: WorkerPool): object {
    const { name } = version.definition;
    const runner = serviceRunner(
      async (event, service, lambdaContext) => {
        const arn = event.DurableExecutionArn;
        this.live.set(arn, service);
        try {
          const output = await pool.invoke(event, {
            awsRequestId: lambdaContext.awsRequestId,
            functionName: name,
            functionVersion: version.version,
            invokedFunctionArn: functionArn(name, version.version),
            deadlineMs: Date.now() + INVOCATION_TIMEOUT_MS,
          });
          this.loadFailures.delete(arn);
          return output;
        } catch (error) {
          if (error instanceof InvocationError) this.rememberFailure(lambdaContext.awsRequestId, error);
          throw this.boundLoadFailures(arn, error);
        } finally {
          this.live.delete(arn);
        }
      },
      { executionArn: (request) => executionArnOf(version.engineName, request.executionArn.slice(request.executionArn.lastIndexOf("execution/") + "execution/".length)) },
    );
    return { [ENGINE_RUNNER]: runner };
  }

  private rememberFailure(requestId: string, error: InvocationError): void {
    if (this.failedEnds.size >= REMEMBERED_FAILURES) this.failedEnds.delete(this.failedEnds.keys().next().value!);
    this.failedEnds.set(requestId, { endedAt: this.clock(), error: { ErrorType: error.name, ErrorMessage: error.message } });
  }

  /** A handler that failed to load is invoked again, LOAD_ATTEMPTS times in all; then the execution fails with the load error. */
  private boundLoadFailures(arn: string, error: unknown): unknown {
    if (!(error instanceof InvocationError) || error.name !== IMPORT_MODULE_ERROR) {
      this.loadFailures.delete(arn);
      return error;
    }
    const failures = (this.loadFailures.get(arn) ?? 0) + 1;
    if (failures < LOAD_ATTEMPTS) {
      this.loadFailures.set(arn, failures);
      return error;
    }
    this.loadFailures.delete(arn);
    return new InvocationError(IMPORT_MODULE_ERROR, `${error.message} (the handler failed to load ${failures} times in a row, so the execution fails: fix the module and invoke again)`, false);
  }

  async checkpoint(arn: string, request: Omit<CheckpointDurableExecutionRequest, "DurableExecutionArn">) {
    for (const update of request.Updates ?? []) {
      for (const [field, id] of [["id", update.Id], ["parentId", update.ParentId]] as const) {
        if (id !== undefined && (typeof id !== "string" || !OPERATION_ID.test(id))) {
          throw invalidParameter(`1 validation error detected: Value ${JSON.stringify(id)} at 'updates.member.${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (1 to 64 characters).`);
        }
      }
    }
    return (await this.serviceFor(arn)).checkpoint({ ...request, DurableExecutionArn: arn });
  }

  async getState(arn: string, token: string | undefined, marker: string | undefined, maxItems: number | undefined) {
    return (await this.serviceFor(arn)).getExecutionState({ DurableExecutionArn: arn, CheckpointToken: token, Marker: marker, MaxItems: maxItems });
  }

  /** The service of the invocation running now; a call for an execution with none is a stale token, as on Lambda. */
  private async serviceFor(arn: string): Promise<ExecutionService> {
    const service = this.live.get(arn);
    if (service) return service;
    await this.exists(arn);
    throw invalidCheckpointToken("no invocation of this execution is running (the token belongs to one that has ended)");
  }
}
