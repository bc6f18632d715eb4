// Two targets on replayable's local engine (engine/), in its Lambda-faithful mode
// (`resumption: "replay"`: every wake-up is a new invocation that replays the handler from its
// first line), on a virtual clock the harness drives itself:
//
// - "engine-replayable": the handler on replayable's runtime (its AWS SDK import mapped to
//   replayable);
// - "engine-aws-sdk": the handler on the official SDK, unchanged, through `fromAwsSdk`
//   (engine/aws): the engine plays the durable execution service behind the SDK's client.
//
// The driver: run everything due (`engine.runDue()`) until nothing is; play the callback
// actions that are due; advance the virtual clock to the next wake-up (the store's, or the next
// callback action's); repeat until the execution ends. The history is built with history.ts
// from what the store committed: every state of every operation with the invocation that wrote
// it, and the invocations' boundaries.
//
// Requirements whose handler crashes its process (process.exit) run in child processes on an
// SQLite file: the process really dies mid-invocation, and a new process with a new engine
// resumes the execution from the file. The engine records the dead invocation with no end; the
// history shows it as AWS does, an InvocationCompleted with Runtime.ExitError.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromAwsSdk } from "../../engine/aws/index.js";
import { connectStore, createEngine, MemoryStore, type Engine, type EngineStore, type ExecutionRow } from "../../engine/index.js";
import type { OperationRecord } from "../../runtime/operation-model.js";
import { importHandlerModule, loadHandler, writeHandlerModule, type LoadHandlerOptions } from "../handler-module.js";
import { captureOutput } from "../logs.js";
import { serveHistoryToThisProcess } from "./history-endpoint.js";
import { buildHistory } from "../../history/aws-history.js";
import { toBoundaries } from "../../history/invocation-boundaries.js";
import { invokeTargets } from "../invoke-targets.js";
import type { CallbackAction } from "../requirements.js";
import { needsOf } from "../run.js";
import { callbackFailureOf, type ConformanceTarget, type InvokeTarget, type RunOutcome } from "../target.js";

export type EngineSdk = "replayable" | "aws";
export type EngineStoreKind = "memory" | "sqlite" | "postgres";

export interface EngineTargetOptions extends LoadHandlerOptions {
  /** Which runtime the handler runs on. */
  sdk: EngineSdk;
  /**
   * The engine's store (default memory): "sqlite" a file per requirement, "postgres" a schema
   * per requirement on postgresUrl's server. Requirements that crash the process use an SQLite
   * file, or PostgreSQL with "postgres".
   */
  store?: EngineStoreKind;
  /** The PostgreSQL server of store "postgres" (a postgres:// URL). */
  postgresUrl?: string | undefined;
  /** Virtual milliseconds a lease lasts (default 30 s); a crashed process's lease runs out after it. */
  leaseMs?: number;
  /** Processes started at most for one crashing requirement (default 6). */
  maxProcesses?: number;
  /**
   * The engine's resumption mode (default "replay", as Lambda). "warm" keeps a suspended handler
   * in memory and continues it on wake-up; the history must not change. The official SDK always
   * replays.
   */
  resumption?: "replay" | "warm";
}

export const FUNCTION_NAME = "conformance-handler";
const DEFAULT_LEASE_MS = 30_000;
/** Real time an invoke of a plain function may take before the driver gives up on it. */
const INVOKE_PATIENCE_MS = 10_000;

export const ENGINE_TARGET_NAMES = { replayable: "engine-replayable", aws: "engine-aws-sdk" } as const;

export function engineTarget(options: EngineTargetOptions): ConformanceTarget {
  const storeKind = options.store ?? "memory";
  const suffix = `${storeKind === "memory" ? "" : `-${storeKind}`}${options.resumption === "warm" ? "-warm" : ""}`;
  return {
    name: `${ENGINE_TARGET_NAMES[options.sdk]}${suffix}`,
    async run(req, handlerModulePath, input, callbackActions, runOptions) {
      const functions = runOptions?.functions ?? invokeTargets;
      const executionId = `conformance-${req.id}-${randomUUID()}`;
      if (needsOf(req).includes("process-crash")) {
        return runInChildProcesses({ ...options, handlerPath: handlerModulePath, executionId, input, callbackActions, historyOnly: runOptions?.historyOnly ?? false });
      }
      const dir = storeKind === "sqlite" ? mkdtempSync(join(tmpdir(), "replayable-conformance-engine-")) : undefined;
      const store: EngineStore = dir ? await connectStore(join(dir, "db.sqlite")) : storeKind === "postgres" ? await connectStore(postgresStoreUrl(options)) : new MemoryStore();
      try {
        // What the handler, the SDK's logger and a plugin write is the run's log (ExpectedLogs).
        const { value: driven, lines } = await captureOutput(async () => {
          const handler = await engineFunction(handlerModulePath, options.sdk, options);
          return runOnEngine({ store, handler, functions, executionId, input, callbackActions, clockStart: Date.now(), leaseMs: options.leaseMs, resumption: options.resumption });
        });
        return { ...(await outcomeFromStore(store, executionId)), notes: driven.notes, logs: lines };
      } finally {
        await store.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** postgresUrl with a new schema: the requirement's store (the server is a throwaway one, or a test database). */
function postgresStoreUrl(options: EngineTargetOptions): string {
  if (!options.postgresUrl) throw new Error('The engine target\'s store "postgres" needs postgresUrl (a postgres:// URL).');
  const url = new URL(options.postgresUrl);
  url.searchParams.set("schema", `conformance_${randomUUID().replace(/-/g, "").slice(0, 16)}`);
  return url.toString();
}

/** The handler module's `handler`, registered as the engine expects it for the runtime chosen. */
export async function engineFunction(handlerPath: string, sdk: EngineSdk, options: LoadHandlerOptions = {}): Promise<unknown> {
  return asEngineFunction((await loadHandler(handlerPath, sdk, options)).handler, sdk);
}

function asEngineFunction(handler: unknown, sdk: EngineSdk): unknown {
  return sdk === "aws" ? fromAwsSdk(handler as Parameters<typeof fromAwsSdk>[0]) : handler;
}

/** A clock the driver moves; the engine reads it. */
export class VirtualClock {
  constructor(public now: number) {}
  readonly read = (): number => this.now;
  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }
}

export interface EngineRunParams {
  store: EngineStore;
  /** The durable function (a replayable handler, or fromAwsSdk(...) of an official one). */
  handler: unknown;
  functions: Record<string, InvokeTarget>;
  executionId: string;
  input: unknown;
  callbackActions: CallbackAction[];
  /** The virtual clock's start (ms since epoch); a resumed run starts no earlier than the store's last commit. */
  clockStart: number;
  leaseMs?: number | undefined;
  resumption?: "replay" | "warm" | undefined;
}

/** Starts the execution (or finds it, when resuming after a crash) and drives it until it ends or nothing more can happen. */
export async function runOnEngine(params: EngineRunParams): Promise<{ execution: ExecutionRow; notes: string[] }> {
  const { store, executionId } = params;
  const clock = new VirtualClock(Math.max(params.clockStart, await lastCommitAt(store, executionId)));
  const leaseMs = params.leaseMs ?? DEFAULT_LEASE_MS;
  const engine = createEngine({
    store,
    functions: { ...params.functions, [FUNCTION_NAME]: params.handler },
    resumption: params.resumption ?? "replay",
    worker: false,
    clock: clock.read,
    leaseMs,
  });
  const workerErrors: string[] = [];
  engine.subscribe((e) => {
    if (e.type === "worker-error") workerErrors.push(`engine worker error${e.executionId ? ` (${e.executionId})` : ""}: ${(e.error as Error)?.stack ?? String(e.error)}`);
  });
  try {
    // Idempotent on the execution id: a process resuming after a crash finds the execution.
    await engine.start(FUNCTION_NAME, params.input, { executionId });
    const driver = new CallbackDriver(engine, params.callbackActions);
    const execution = await drive(engine, store, executionId, clock, driver, leaseMs);
    return { execution, notes: [...driver.notes, ...workerErrors] };
  } finally {
    await engine.close();
  }
}

/**
 * The virtual-time loop: everything due runs; callback actions due are played; the clock jumps
 * to the next thing that can happen. Ends when the execution ends, or when nothing can happen
 * any more (an execution waiting for a callback no action completes).
 */
async function drive(engine: Engine, store: EngineStore, executionId: string, clock: VirtualClock, driver: CallbackDriver, leaseMs: number): Promise<ExecutionRow> {
  let heldSince: number | undefined;
  let invokeWaitStarted: number | undefined;
  for (let round = 0; round < 100_000; round++) {
    let claimed = 0;
    for (let ran = await engine.runDue(); ran > 0; ran = await engine.runDue()) claimed += ran;
    const execution = (await engine.getExecution(executionId))!;
    if (execution.status !== "RUNNING") return execution;
    await driver.discover(clock.now);
    if (await driver.playDue(clock.now)) continue;

    const wake = await store.nextWakeAt();
    const next = minDefined(wake, driver.nextAt());
    if (next !== undefined && next <= clock.now) {
      if (claimed > 0) continue;
      // Due, yet nothing could be claimed: a lease is still held, by a process that died
      // mid-invocation. The service retries a crashed invocation once the lease runs out.
      if (heldSince === clock.now) throw new Error(`execution ${executionId} is due but cannot be claimed after the lease ran out`);
      heldSince = clock.now;
      clock.advanceTo(clock.now + leaseMs + 1);
      continue;
    }
    if (await hasOpenInvoke(engine)) {
      // A plain function the engine invoked is running (in real time); its outcome arrives as a signal.
      invokeWaitStarted ??= Date.now();
      if (Date.now() - invokeWaitStarted > INVOKE_PATIENCE_MS) throw new Error(`an invoked function did not answer within ${INVOKE_PATIENCE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    invokeWaitStarted = undefined;
    if (next === undefined) return execution; // waits for something that will never come
    clock.advanceTo(next);
  }
  throw new Error(`execution ${executionId} did not settle within 100,000 rounds`);
}

async function hasOpenInvoke(engine: Engine): Promise<boolean> {
  for (const execution of await engine.listExecutions()) {
    if (execution.status !== "RUNNING") continue;
    if ((await engine.operations(execution.executionId)).some((r) => r.Type === "CHAINED_INVOKE" && r.Status === "STARTED")) return true;
  }
  return false;
}

interface ScheduledAction {
  at: number;
  order: number;
  callbackId: string;
  name: string | undefined;
  action: CallbackAction;
}

/**
 * Plays callback actions as AWS's runner does: each callback, when it appears, takes the first
 * unused action whose CallbackName is "*" or the callback's name, and acts `Delay` seconds
 * after it appeared; a heartbeat does not use the callback up, so the next matching action
 * applies to it too, `Delay` seconds after the heartbeat.
 */
class CallbackDriver {
  readonly notes: string[] = [];
  private readonly used = new Set<number>();
  private readonly seen = new Set<string>();
  private readonly scheduled: ScheduledAction[] = [];
  private order = 0;

  constructor(
    private readonly engine: Engine,
    private readonly actions: CallbackAction[],
  ) {}

  /** Schedules the actions of callbacks that appeared since the last look. */
  async discover(now: number): Promise<void> {
    if (this.actions.length === 0) return;
    for (const execution of await this.engine.listExecutions()) {
      for (const record of await this.engine.operations(execution.executionId)) {
        const callbackId = record.Type === "CALLBACK" ? record.CallbackDetails?.CallbackId : undefined;
        if (!callbackId || this.seen.has(callbackId)) continue;
        this.seen.add(callbackId);
        this.schedule(record, callbackId, now);
      }
    }
  }

  private schedule(record: OperationRecord, callbackId: string, appearedAt: number): void {
    let at = appearedAt;
    for (;;) {
      const i = this.actions.findIndex((a, n) => !this.used.has(n) && (a.CallbackName === "*" || a.CallbackName === record.Name));
      if (i < 0) {
        if (!this.scheduled.some((s) => s.callbackId === callbackId)) this.notes.push(`no callback action matched callback ${record.Name ?? callbackId}`);
        return;
      }
      this.used.add(i);
      const action = this.actions[i]!;
      at += action.Delay * 1000;
      this.scheduled.push({ at, order: this.order++, callbackId, name: record.Name, action });
      if (action.Operation !== "heartbeat") return;
    }
  }

  nextAt(): number | undefined {
    return this.scheduled.reduce<number | undefined>((min, s) => (min === undefined || s.at < min ? s.at : min), undefined);
  }

  /** Plays every action due at `now`, in time order; true when one was played. */
  async playDue(now: number): Promise<boolean> {
    const due = this.scheduled.filter((s) => s.at <= now).sort((a, b) => a.at - b.at || a.order - b.order);
    if (due.length === 0) return false;
    for (const s of due) {
      this.scheduled.splice(this.scheduled.indexOf(s), 1);
      try {
        if (s.action.Operation === "success") await this.engine.sendCallbackSuccess(s.callbackId, s.action.Payload === undefined ? undefined : JSON.stringify(s.action.Payload));
        else if (s.action.Operation === "failure") await this.engine.sendCallbackFailure(s.callbackId, callbackFailureOf(s.action.Payload) ?? {});
        else await this.engine.sendCallbackHeartbeat(s.callbackId);
      } catch (error) {
        this.notes.push(`callback action ${s.action.Operation} for ${s.name ?? s.callbackId} failed: ${(error as Error).message}`);
      }
    }
    return true;
  }
}

/** The latest moment the store recorded for the execution (0 when it has none yet). */
async function lastCommitAt(store: EngineStore, executionId: string): Promise<number> {
  const execution = await store.getExecution(executionId);
  if (!execution) return 0;
  const updates = await store.loadUpdates(executionId);
  const invocations = await store.loadInvocations(executionId);
  return Math.max(execution.updatedAt, ...updates.map((u) => u.at), ...invocations.map((i) => i.endedAt ?? i.startedAt));
}

/** The execution's outcome and history, from what the store committed. */
export async function outcomeFromStore(store: EngineStore, executionId: string): Promise<Omit<RunOutcome, "notes">> {
  const execution = await store.getExecution(executionId);
  if (!execution) throw new Error(`no execution ${executionId} in the store`);
  const updates = await store.loadUpdates(executionId);
  const invocations = toBoundaries(await store.loadInvocations(executionId), updates, execution);
  const history = buildHistory(execution, updates, invocations);
  const status = execution.status;
  return {
    status,
    result: status === "SUCCEEDED" && execution.result !== undefined ? JSON.parse(execution.result) : undefined,
    error: status === "FAILED" ? execution.error : undefined,
    history,
    historyFidelity: "faithful",
  };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

// ---- Requirements that crash the process: child processes on an SQLite file ----

/** What one child process is told to do (JSON on its command line). */
export interface ProcessRunRequest {
  /** An SQLite file, or a postgres:// URL. */
  storePath: string;
  /** The handler, already rewritten for the runtime (writeHandlerModule): the process never loads TypeScript. */
  modulePath: string;
  /** Where the process writes its notes (JSON), when it gets to the end. */
  notesPath: string;
  handlerPath: string;
  sdk: EngineSdk;
  executionId: string;
  input: unknown;
  callbackActions: CallbackAction[];
  clockStart: number;
  leaseMs?: number | undefined;
  resumption?: "replay" | "warm" | undefined;
}

const PROCESS_PROGRAM = join(dirname(fileURLToPath(import.meta.url)), "engine-process.ts");

interface CrashRunParams extends EngineTargetOptions {
  handlerPath: string;
  executionId: string;
  input: unknown;
  callbackActions: CallbackAction[];
  historyOnly: boolean;
}

/** Runs the execution in child processes until it ends: each crash of the handler's process kills the engine in it, and the next process resumes. */
async function runInChildProcesses(params: CrashRunParams): Promise<RunOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "replayable-conformance-crash-"));
  const storePath = params.store === "postgres" ? postgresStoreUrl(params) : join(dir, "db.sqlite");
  const notes: string[] = [];
  const logs: string[] = [];
  const modulePath = writeHandlerModule(params.handlerPath, params.sdk, params);
  try {
    const request: ProcessRunRequest = {
      storePath,
      modulePath,
      notesPath: join(dir, "notes.json"),
      handlerPath: params.handlerPath,
      sdk: params.sdk,
      executionId: params.executionId,
      input: params.input,
      callbackActions: params.callbackActions,
      clockStart: Date.now(),
      leaseMs: params.leaseMs,
      resumption: params.resumption,
    };
    const maxProcesses = params.maxProcesses ?? 6;
    let processes = 0;
    let execution: ExecutionRow | undefined;
    for (;;) {
      const child = await runChild(request, dir);
      processes++;
      notes.push(...child.notes);
      logs.push(...child.logs);
      const store = await connectStore(storePath);
      try {
        execution = await store.getExecution(params.executionId);
      } finally {
        await store.close();
      }
      if (!execution || execution.status !== "RUNNING") break;
      if (child.code === 0) break; // the process finished its work: the execution waits for something that will not come
      if (processes >= maxProcesses) {
        notes.push(`gave up after ${processes} processes: the last one exited with ${child.code} and the execution is still running`);
        break;
      }
    }
    notes.push(`ran in ${processes} process${processes === 1 ? "" : "es"} on ${params.store === "postgres" ? "PostgreSQL" : "an SQLite file"}`);
    const store = await connectStore(storePath);
    try {
      return { ...(await outcomeFromStore(store, params.executionId)), notes, logs };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(modulePath, { force: true });
  }
}

/** Runs one process; its output (stdout, then stderr) is the log it wrote. */
async function runChild(request: ProcessRunRequest, tmp: string): Promise<{ code: number | null; notes: string[]; logs: string[] }> {
  // The run's own temporary directory (removed after it) also holds what the handler keeps in os.tmpdir().
  const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
  const child = spawn(process.execPath, ["--import", "tsx", PROCESS_PROGRAM, JSON.stringify(request)], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (c, signal) => resolve(signal ? null : c));
  });
  const notes: string[] = [];
  if (existsSync(request.notesPath)) {
    notes.push(...(JSON.parse(readFileSync(request.notesPath, "utf8")) as string[]));
    rmSync(request.notesPath, { force: true });
  }
  if (code !== 0 && code !== 1) notes.push(`process exited with ${code}: ${stderr.trim().slice(-2000)}`);
  const logs = [...stdout.split("\n"), ...stderr.split("\n")].filter((line) => line !== "");
  return { code, notes, logs };
}

/** The child process's work: open the file, run (or resume) the execution on a new engine until it ends or the process dies. */
export async function runThisProcess(request: ProcessRunRequest): Promise<void> {
  const store = await connectStore(request.storePath);
  const closeHistory = await serveHistoryToThisProcess({ store, executionId: request.executionId });
  try {
    const handler = asEngineFunction((await importHandlerModule(request.modulePath, request.handlerPath)).handler, request.sdk);
    const { notes } = await runOnEngine({
      store,
      handler,
      functions: invokeTargets,
      executionId: request.executionId,
      input: request.input,
      callbackActions: request.callbackActions,
      clockStart: request.clockStart,
      leaseMs: request.leaseMs,
      resumption: request.resumption,
    });
    writeFileSync(request.notesPath, JSON.stringify(notes));
  } finally {
    await closeHistory();
    await store.close();
  }
}
