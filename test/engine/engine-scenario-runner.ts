// Runs a compatibility scenario (test/testing/compat/) on replayable's engine through
// fromAwsSdk: the engine plays Lambda's durable execution service behind the handler, which
// may be the official SDK's or replayable's (both speak the protocol). Waits are skipped:
// when nothing runs and no callback is open, the engine's clock jumps to the next wake-up
// (callback timeouts run in real time, so a scenario's interaction is never overtaken by a
// skipped timeout).
import { fromAwsSdk } from "../../engine/aws/index.js";
import { createEngine, type Engine, type EngineStore } from "../../engine/index.js";
import type { OperationRecord } from "../../runtime/operation-model.js";
import type { CompatOperation } from "../testing/compat/scenario-types.js";
import type { DrivableRunner } from "../testing/compat-run.js";

/** Where the scenario's execution runs: an engine over the store, with the functions it may invoke, and how its execution starts. */
export type ScenarioHost = (
  store: EngineStore,
  functions: Record<string, unknown>,
  clock: () => number,
) => Promise<{ engine: Engine; start(payload: unknown): Promise<string>; close(): Promise<void> }>;

/** The handler in this process, as fromAwsSdk runs it. */
export const inProcess =
  (handler: unknown): ScenarioHost =>
  async (store, functions, clock) => {
    const engine = createEngine({ store, functions: { ...functions, main: fromAwsSdk(handler as never) }, pollMs: 10, clock });
    return { engine, start: async (payload) => (await engine.start("main", payload)).executionId, close: () => engine.close() };
  };

export class EngineScenarioRunner implements DrivableRunner {
  private readonly functions: Record<string, unknown> = {};
  private engine: Engine | undefined;
  private executionId: string | undefined;
  private records: OperationRecord[] = [];
  private skew = 0;

  constructor(
    private readonly host: ScenarioHost,
    private readonly makeStore: () => EngineStore | Promise<EngineStore>,
  ) {}

  registerFunction(name: string, handler: (event: any, context: any) => Promise<unknown>): this {
    this.functions[name] = handler;
    return this;
  }

  async run(params: { payload?: unknown } = {}) {
    const store = await this.makeStore();
    const host = await this.host(store, this.functions, () => Date.now() + this.skew);
    const { engine } = host;
    this.engine = engine;
    let running = 0;
    engine.subscribe((event) => {
      if (event.type === "invocation-started") running++;
      else if (event.type === "invocation-ended") running--;
    });
    let skipping = true;
    const skipper = (async () => {
      while (skipping) {
        await new Promise((resolve) => setTimeout(resolve, 15));
        if (running > 0) continue;
        const open = await engine.listExecutions({ status: "RUNNING" });
        const operations = (await Promise.all(open.map((e) => engine.operations(e.executionId)))).flat();
        if (operations.some((r) => r.Type === "CALLBACK" && r.Status === "STARTED")) continue;
        const wakes = open.map((e) => e.nextWakeAt).filter((t): t is number => t !== undefined);
        const now = Date.now() + this.skew;
        if (wakes.length > 0 && running === 0 && Math.min(...wakes) > now) this.skew += Math.min(...wakes) - now;
      }
    })();
    try {
      const executionId = await host.start(params.payload ?? {});
      this.executionId = executionId;
      const done = await engine.waitForExecution(executionId, { timeoutMs: 20_000 });
      this.records = await engine.operations(executionId);
      const records = this.records;
      return {
        getStatus: () => done.status,
        getResult: () => (done.result === undefined ? undefined : JSON.parse(done.result)),
        getError: () => ({ errorMessage: done.error?.ErrorMessage }),
        getOperations: () => records.filter((r) => r.Type !== "EXECUTION").map((r) => ({ getName: () => r.Name })),
      };
    } finally {
      skipping = false;
      await skipper;
      await host.close();
      await store.close();
    }
  }

  getOperation(name: string): CompatOperation {
    const find = () => this.records.find((r) => r.Name === name);
    const refresh = async () => {
      if (this.engine && this.executionId) this.records = await this.engine.operations(this.executionId);
    };
    const callbackId = () => {
      const record = find();
      if (record?.Type === "CALLBACK") return record.CallbackDetails?.CallbackId;
      return this.records.find((r) => r.Type === "CALLBACK" && r.ParentId === record?.Id)?.CallbackDetails?.CallbackId;
    };
    const operation: CompatOperation = {
      waitForData: async (status?: string) => {
        for (let i = 0; i < 2000; i++) {
          await refresh();
          const record = find();
          // SUBMITTED (waitForCallback): the callback exists and the submitter step has run.
          const submitted = status !== "SUBMITTED" || this.records.some((r) => r.ParentId === record?.Id && r.Type === "STEP" && r.Status === "SUCCEEDED");
          if (record && callbackId() !== undefined && submitted) return operation;
          if (record && record.Type !== "CALLBACK" && record.Type !== "CONTEXT") return operation;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error(`operation ${name} never got its data`);
      },
      getStatus: () => find()?.Status,
      getType: () => find()?.Type,
      sendCallbackSuccess: async (result?: string) => this.engine!.sendCallbackSuccess(callbackId()!, result),
      sendCallbackFailure: async (error?: { ErrorMessage?: string; ErrorType?: string }) => this.engine!.sendCallbackFailure(callbackId()!, error ?? {}),
      sendCallbackHeartbeat: async () => this.engine!.sendCallbackHeartbeat(callbackId()!),
    };
    return operation;
  }
}
