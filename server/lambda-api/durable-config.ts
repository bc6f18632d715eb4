// A function's DurableConfig limits, as Lambda applies them to its executions:
// - ExecutionTimeout: an execution still running that many seconds after it started ends
//   TIMED_OUT (its EXECUTION operation TIMED_OUT, the history's ExecutionTimedOut). A sweep
//   finds them; the time-out is one commit under a fencing claim, as StopDurableExecution's
//   (an invocation in progress has its later checkpoints refused).
// - RetentionPeriodInDays (Lambda's default 14): an execution that ended longer ago than that is
//   no longer returned or listed. It stays in the store (the console and `replayable show` still
//   read it); its name stays taken.
import { endedExecutionRecord, EXECUTION_RECORD_ID } from "../../engine/execution-status.js";
import type { Engine, EngineStore, ExecutionRow } from "../../engine/index.js";
import type { ErrorObject } from "../../runtime/operation-model.js";
import { parseEngineName, type DurableConfig, type FunctionCatalog } from "./functions.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Lambda's RetentionPeriodInDays when DurableConfig does not give one. */
const DEFAULT_RETENTION_DAYS = 14;
/** How often running executions are checked against their ExecutionTimeout. */
const SWEEP_MS = 500;
/** The claim's lease while the time-out commits (released by the commit). */
const CLAIM_MS = 30_000;

/** The DurableConfig of the function an execution runs (empty when the function is no longer served). */
export function durableConfigOf(catalog: FunctionCatalog, execution: ExecutionRow): DurableConfig {
  const { name } = parseEngineName(execution.functionName);
  return catalog.definitions.find((definition) => definition.name === name)?.durableConfig ?? {};
}

/** True when the execution ended longer ago than its function's RetentionPeriodInDays. */
export function pastRetention(config: DurableConfig, execution: ExecutionRow, now: number): boolean {
  return execution.endedAt !== undefined && now > execution.endedAt + (config.RetentionPeriodInDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
}

/** Ends each running execution past its function's ExecutionTimeout, every SWEEP_MS until closed. */
export class ExecutionTimeouts {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly store: EngineStore,
    private readonly catalog: FunctionCatalog,
    private readonly clock: () => number,
  ) {}

  start(): void {
    const tick = () => {
      this.sweeping = this.sweep().then(
        () => undefined,
        (error: unknown) => console.error(`replayable serve: checking ExecutionTimeout failed: ${(error as Error).message}`),
      );
      void this.sweeping.then(() => {
        if (this.timer) this.timer = setTimeout(tick, SWEEP_MS);
      });
    };
    this.timer = setTimeout(tick, SWEEP_MS);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** Times out every running execution past its ExecutionTimeout. */
  private async sweep(): Promise<void> {
    const now = this.clock();
    for (const version of this.catalog.versions()) {
      const seconds = version.definition.durableConfig.ExecutionTimeout;
      if (seconds === undefined) continue;
      const overdue = await this.engine.listExecutions({ status: "RUNNING", functionName: version.engineName, createdBefore: now - seconds * 1000 + 1 });
      for (const execution of overdue) await this.timeOut(execution, seconds, now);
    }
  }

  /** One commit: the EXECUTION operation TIMED_OUT, the execution ended; nothing when another process holds it (the next sweep tries again). */
  private async timeOut(execution: ExecutionRow, seconds: number, now: number): Promise<void> {
    const { executionId } = execution;
    const lease = await this.store.claim(executionId, `${this.engine.workerId}/timeout`, now, CLAIM_MS, this.engine.workerId);
    if (!lease) return;
    const record = await this.store.loadOperation(executionId, EXECUTION_RECORD_ID);
    const error: ErrorObject = { ErrorType: "ExecutionTimedOut", ErrorMessage: `The execution ran past its DurableConfig.ExecutionTimeout of ${seconds} seconds` };
    await this.store.commit({
      executionId,
      epoch: lease.epoch,
      at: now,
      operations: [endedExecutionRecord(execution, record, "TIMED_OUT", now)],
      release: true,
      execution: { status: "FAILED", error, endedAt: now, nextWakeAt: undefined },
    });
  }
}
