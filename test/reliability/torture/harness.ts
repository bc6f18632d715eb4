// The crash torture harness. It runs rounds until it has killed enough workers: each round
// starts a batch of executions of the torture handlers on a fresh SQLite file, runs one or
// more worker processes (worker.ts, bundled) on it, kills them with SIGKILL at random moments
// and restarts them, completes their callbacks from this process, and once every execution has
// ended checks the round's invariants (invariants.ts) against the side log, the store's
// history, and a crash-free run of the same executions on a MemoryStore in this process.
//
// Where a worker dies is chosen by a seeded generator per spawn (the same seed gives the same
// plans, though not the same interleavings):
//   timer        the harness kills it after a random delay (during start-up and recovery too)
//   after-start  it kills itself right after a step body logged its start
//   after-end    it kills itself right after a step body logged its end (before the checkpoint)
//   after-ack    it kills itself right after a checkpoint was acknowledged
//   on-line      the harness kills it as soon as it sees its n-th side log line
// With several engines on one file, one of them at a time is the victim; the others run on.
// There the victim may also be frozen (SIGSTOP) for longer than its lease, then thawed
// (SIGCONT): another engine takes its executions over and the thawed one's late commits
// must be refused (fencing).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connectStore, createEngine, MemoryStore, type Engine } from "../../../engine/index.js";
import { checkBlockingSteps } from "./blocking-mode.js";
import { checkDeadlineRaces, isDeadlineCallback, raceDeadline, type DeadlineRaces } from "./deadline-mode.js";
import { callbackOutcomeFor, MODES, planExecution, tortureHandlers, type PlannedExecution, type TortureFunction } from "./handlers.js";
import { checkConfirmations, checkRound, type Confirmations, type ExecutionOutcome, type RoundEvidence, type Violation } from "./invariants.js";
import { createRng, type Rng } from "./rng.js";
import { readSideLog, SideLogWriter } from "./side-log.js";
import type { WorkerConfig } from "./worker.js";

export interface TortureOptions {
  /** The bundled worker (bundle.ts). */
  workerPath: string;
  /** Where the rounds' store files and side logs go. */
  dir: string;
  /** A PostgreSQL server (postgres:// URL) to run the rounds on, each in a schema of its own, instead of SQLite files. */
  postgresUrl?: string | undefined;
  seed: number;
  /** Stop starting rounds once this many workers have been killed. */
  kills: number;
  /** Engine processes sharing the store (default 1); a list takes its counts in turn, one per round. */
  engines?: number | number[];
  /** What the rounds' executions are drawn from (default MODES; "blocking" only with several engines). */
  modes?: readonly TortureFunction[];
  executionsPerRound?: number;
  /** At most this many kills in one round, so a round always gets to finish (default 3 per execution). */
  killsPerRound?: number;
  /** The workers' lease (default 2 s); a frozen engine stays frozen 1.3 to 1.8 times as long. */
  leaseMs?: number;
  /** Once the killing of a round stops, every execution must end within this bound (default 30 s). */
  settleMs?: number;
  /** Start no round after this many ms (the report then says how far it got). */
  maxMs?: number;
  /**
   * Independent sequences of rounds run side by side (default 1), each with its own files and
   * random stream (lane k draws from seed + k): a round spends most of its time waiting on
   * leases, freezes and deadlines, so lanes multiply kills per minute on a few cores.
   */
  lanes?: number;
  /** Keep every round's files (by default only those of rounds with violations are kept). */
  keepFiles?: boolean;
  log?: (line: string) => void;
}

/** "unexplained": a SIGKILL neither the harness nor the worker's plan sent (the OOM killer?). */
export type KillMoment = "timer" | "after-start" | "after-end" | "after-ack" | "on-line" | "fallback" | "unexplained";

export interface TortureReport {
  seed: number;
  engines: number[];
  kills: number;
  killsByMoment: Partial<Record<KillMoment, number>>;
  /** Engines frozen past their lease and thawed (several engines only). */
  freezes: number;
  /** Callbacks raced at their deadline (deadline mode): how many a sender delivered, how many timed out. */
  deadlineRaces: { delivered: number; timedOut: number };
  executions: number;
  rounds: number;
  workerStarts: number;
  violations: Violation[];
  /** Errors the workers reported that were not lost leases (not violations by themselves). */
  workerErrors: string[];
  durationMs: number;
}

type KillPlan =
  | { moment: "none" }
  | { moment: "timer"; afterMs: number }
  | { moment: "after-start" | "after-end" | "after-ack" | "on-line"; count: number }
  /** SIGSTOP after afterMs, SIGCONT forMs later (not a kill: the process runs on). */
  | { moment: "freeze"; afterMs: number; forMs: number };

/** The harness's own SQLite connections wait at most this for the write lock (see runRound). */
const HARNESS_SQLITE = { busyTimeoutMs: 200 };

/** How long a worker with a moment-triggered plan may live before the harness kills it anyway. */
const FALLBACK_MS = 2_000;

function choosePlan(rng: Rng, timerMaxMs: number, freeze?: { chance: number; leaseMs: number }): KillPlan {
  if (freeze && rng.chance(freeze.chance)) return { moment: "freeze", afterMs: rng.int(0, timerMaxMs), forMs: Math.round(freeze.leaseMs * (1.3 + rng.next() * 0.5)) };
  const r = rng.next();
  if (r < 0.35) return { moment: "timer", afterMs: rng.int(0, timerMaxMs) };
  if (r < 0.55) return { moment: "after-start", count: rng.int(1, 4) };
  if (r < 0.7) return { moment: "after-end", count: rng.int(1, 4) };
  if (r < 0.85) return { moment: "after-ack", count: rng.int(1, 12) };
  return { moment: "on-line", count: rng.int(1, 15) };
}

/** A worker process started ahead of need: its modules load while it waits for its config on stdin. */
interface Spare {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every worker process started and not yet exited, so that an interrupted torture can end them (killAllWorkers). */
const startedWorkers = new Set<ChildProcess>();

/** Kills every worker process still running, frozen ones too (SIGKILL ends a stopped process). */
export function killAllWorkers(): void {
  for (const child of startedWorkers) child.kill("SIGKILL");
}

/** Keeps `size` spare workers loading, so a killed worker's successor starts with its modules loaded. */
class SparePool {
  private readonly spares: Spare[] = [];
  constructor(
    private readonly workerPath: string,
    private readonly size: number,
  ) {
    while (this.spares.length < size) this.spares.push(this.spawn());
  }

  take(): Spare {
    let spare = this.spares.shift();
    // One that died waiting (it should not) is replaced by a fresh one.
    while (spare && (spare.child.exitCode !== null || spare.child.signalCode !== null)) spare = this.spares.shift();
    this.spares.push(this.spawn());
    return spare ?? this.spawn();
  }

  /** Ends the spares (their stdin closes: they exit). */
  async dispose(): Promise<void> {
    for (const spare of this.spares) spare.child.stdin!.end();
    await Promise.all(this.spares.map((spare) => spare.exit));
  }

  private spawn(): Spare {
    const child = spawn(process.execPath, [this.workerPath], { stdio: ["pipe", "pipe", "pipe"] });
    startedWorkers.add(child);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => {
        startedWorkers.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, exit };
  }
}

class WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited = false;
  stopping = false;
  /** What killed it, when the harness did. */
  killedBy: KillMoment | undefined;
  stderr = "";
  /** Set when a freeze has ended (SIGCONT sent). */
  thawed = false;
  frozen = false;
  private lines = 0;
  private lineTarget: number | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    spare: Spare,
    config: WorkerConfig,
    readonly plan: KillPlan,
    private readonly journal: SideLogWriter,
  ) {
    this.child = spare.child;
    this.pid = this.child.pid!;
    journal.write({ k: "harness", what: "spawn", pid: this.pid, moment: plan.moment });
    this.child.stdin!.write(`${JSON.stringify(config)}\n`);
    this.exit = spare.exit.then((exit) => {
      this.exited = true;
      for (const timer of this.timers) clearTimeout(timer);
      return exit;
    });
    let partial = "";
    this.child.stdout!.on("data", (chunk: Buffer) => {
      const text = partial + chunk.toString("utf8");
      const complete = text.split("\n");
      partial = complete.pop()!;
      this.lines += complete.length;
      if (this.lineTarget !== undefined && this.lines >= this.lineTarget) this.kill("on-line");
    });
    this.child.stderr!.on("data", (chunk: Buffer) => {
      if (this.stderr.length < 100_000) this.stderr += chunk.toString("utf8");
    });
    this.arm(plan);
  }

  /** Applies a plan the harness carries out (a timer, a line count); self-kill plans are in the worker's config. */
  arm(plan: KillPlan): void {
    if (plan.moment === "none") return;
    if (plan.moment === "timer") {
      this.timers.push(setTimeout(() => this.kill("timer"), plan.afterMs));
      return;
    }
    if (plan.moment === "freeze") {
      this.timers.push(
        setTimeout(() => {
          if (this.exited || this.stopping) return;
          this.frozen = true;
          this.journal.write({ k: "harness", what: "freeze", pid: this.pid });
          this.child.kill("SIGSTOP");
          this.timers.push(
            setTimeout(() => {
              this.journal.write({ k: "harness", what: "thaw", pid: this.pid });
              this.child.kill("SIGCONT");
              this.thawed = true;
            }, plan.forMs),
          );
        }, plan.afterMs),
      );
      return;
    }
    if (plan.moment === "on-line") this.lineTarget = this.lines + plan.count;
    this.timers.push(setTimeout(() => this.kill("fallback"), FALLBACK_MS));
  }

  kill(moment: KillMoment): void {
    if (this.exited || this.stopping || this.killedBy) return;
    this.killedBy = moment;
    this.journal.write({ k: "harness", what: "kill", pid: this.pid, moment });
    this.child.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.journal.write({ k: "harness", what: "stop", pid: this.pid });
    if (this.frozen) this.child.kill("SIGCONT");
    this.child.kill("SIGTERM");
    const stopped = await Promise.race([this.exit.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped) {
      this.child.kill("SIGKILL");
      await this.exit;
    }
  }
}

/**
 * A new directory for a torture's files: in memory (tmpfs) when the machine has one, where the
 * store's fsyncs cost nothing and what is tested is the same (a SIGKILL cannot lose what a
 * process's write(2) handed the kernel; the torture kills processes, not the machine).
 */
export function tortureFilesDir(prefix: string): string {
  return mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), prefix));
}

export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const began = Date.now();
  const engineCounts = [options.engines ?? 1].flat();
  const perRound = options.executionsPerRound ?? 10;
  const killsPerRound = options.killsPerRound ?? perRound * 3;
  const leaseMs = options.leaseMs ?? 2_000;
  const settleMs = options.settleMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const rng = createRng(options.seed);
  const report: TortureReport = {
    seed: options.seed,
    engines: engineCounts,
    kills: 0,
    killsByMoment: {},
    freezes: 0,
    deadlineRaces: { delivered: 0, timedOut: 0 },
    executions: 0,
    rounds: 0,
    workerStarts: 0,
    violations: [],
    workerErrors: [],
    durationMs: 0,
  };
  mkdirSync(options.dir, { recursive: true });
  const lanes = options.lanes ?? 1;
  const spares = new SparePool(options.workerPath, Math.max(...engineCounts) * lanes);

  try {
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
  } finally {
    await spares.dispose();
  }
  report.durationMs = Date.now() - began;
  return report;

  async function runLane(lane: number): Promise<void> {
    const laneRng = lane === 0 ? rng : createRng(options.seed + lane);
    for (let laneRound = 0; report.kills < options.kills && Date.now() - began < (options.maxMs ?? Infinity); laneRound++) {
      const round = report.rounds++;
      const roundBegan = Date.now();
      const engines = engineCounts[laneRound % engineCounts.length]!;
      const outcome = await runRound(round, engines, laneRng.fork());
      report.violations.push(...outcome.violations);
      log(
        `round ${round}${lanes > 1 ? ` (lane ${lane})` : ""}: ${engines} engine(s), ${perRound} executions, ${outcome.kills} kills (total ${report.kills}), ${outcome.violations.length} violations, ${((Date.now() - roundBegan) / 1000).toFixed(1)} s`,
      );
      for (const v of outcome.violations) log(`  VIOLATION ${v.invariant}${v.executionId ? ` [${v.executionId}]` : ""}: ${v.detail}`);
    }
  }

  async function runRound(round: number, engines: number, rng: Rng): Promise<{ violations: Violation[]; kills: number }> {
    const storePath = options.postgresUrl ? postgresSchemaUrl(options.postgresUrl, `torture_${options.seed}_${round}`) : join(options.dir, `round-${round}.sqlite`);
    const sideLogPath = join(options.dir, `round-${round}.side.log`);
    const journal = new SideLogWriter(sideLogPath);
    // The harness plays the outside world in one process: a short wait for the write lock (a
    // frozen engine may hold it), retried by its loops, so its kill and thaw timers stay on time.
    const store = await connectStore(storePath, HARNESS_SQLITE);
    const control = createEngine({ store, functions: tortureHandlers, worker: false });
    // A step blocking one engine past its lease is only a race with another engine to take it over.
    const modes = (options.modes ?? MODES).filter((mode) => engines > 1 || mode !== "blocking");
    if (modes.length === 0) throw new Error("The blocking mode needs two or more engines (--engines 2, 3 or 2,3), to take a blocked execution over.");
    const plans = Array.from({ length: perRound }, (_, i) => planExecution(rng, `r${round}-e${i}`, modes, leaseMs));
    for (const plan of plans) await control.start(plan.functionName, plan.input, { executionId: plan.executionId });
    report.executions += plans.length;
    const violations: Violation[] = [];
    // Whether a callback at its deadline was delivered is up to the race: no reference for those.
    const reference = runReference(plans.filter((p) => p.functionName !== "deadline")).catch((error: unknown) => {
      violations.push({ invariant: "crash-free reference run failed", detail: (error as Error).stack ?? String(error) });
      return new Map<string, ExecutionOutcome>();
    });

    const killedPids = new Set<number>();
    const frozenPids = new Set<number>();
    let roundKills = 0;
    const killsBefore = report.kills;
    let finished = false;
    // Three senders on three connections race for every callback (the concurrent-senders mode).
    const senderStores = [await connectStore(storePath, HARNESS_SQLITE), await connectStore(storePath, HARNESS_SQLITE)];
    const senders = [control, ...senderStores.map((s) => createEngine({ store: s, functions: tortureHandlers, worker: false }))];
    const confirmations: Confirmations = new Map();
    const races: DeadlineRaces = new Map();
    const completer = completeCallbacks(senders, () => finished, report.workerErrors, confirmations, { races, rng: rng.fork() });
    const killing = () => report.kills < options.kills && roundKills < killsPerRound;
    let killingStoppedAt: number | undefined;
    let lastKillAt = Date.now();

    const slots: WorkerProcess[] = [];
    const spawned: WorkerProcess[] = [];
    let victim = rng.int(0, engines - 1);
    const freezing = engines > 1 ? { chance: 0.25, leaseMs } : undefined;
    // A timer kill lands within this after the worker's spawn (start-up included) or arming.
    const timerMaxMs = engines === 1 ? 700 : 600;
    const launch = (slot: number) => {
      const plan: KillPlan = slot === victim && killing() ? choosePlan(rng, timerMaxMs, freezing) : { moment: "none" };
      const config: WorkerConfig = {
        storePath,
        sideLogPath,
        leaseMs,
        pollMs: 20,
        resumption: rng.chance(0.7) ? "warm" : "replay",
        crash: plan.moment === "after-start" || plan.moment === "after-end" || plan.moment === "after-ack" ? { after: plan.moment.slice("after-".length) as "start", count: plan.count } : undefined,
        echo: true,
      };
      slots[slot] = new WorkerProcess(spares.take(), config, plan, journal);
      spawned.push(slots[slot]);
      report.workerStarts += 1;
    };
    for (let slot = 0; slot < engines; slot++) launch(slot);

    for (;;) {
      await Promise.race([...slots.map((w) => w.exit), sleep(50)]);
      for (let slot = 0; slot < engines; slot++) {
        const worker = slots[slot]!;
        if (!worker.exited) continue;
        const { code, signal } = await worker.exit;
        if (signal === "SIGKILL") {
          const { moment: planned } = worker.plan;
          const selfKill = planned === "after-start" || planned === "after-end" || planned === "after-ack";
          const moment: KillMoment = worker.killedBy ?? (selfKill ? planned : "unexplained");
          report.kills += 1;
          roundKills += 1;
          report.killsByMoment[moment] = (report.killsByMoment[moment] ?? 0) + 1;
          killedPids.add(worker.pid);
          lastKillAt = Date.now();
        } else {
          violations.push({ invariant: "worker exited unexpectedly", detail: `worker ${worker.pid} exited with ${signal ?? `code ${code}`}; stderr:\n${worker.stderr.slice(-4_000)}` });
          roundKills += 1; // a worker that keeps dying must not keep the round from its settle bound
        }
        collectWorkerErrors(worker.stderr, report.workerErrors);
        const wasVictim = slot === victim;
        if (wasVictim) victim = rng.int(0, engines - 1);
        launch(slot);
        // A victim already running gets a plan the harness carries out.
        if (wasVictim && victim !== slot && killing()) slots[victim]!.arm(choosePlan(rng, timerMaxMs, freezing));
      }
      const thawed = slots[victim]!;
      if (thawed.thawed && !thawed.exited) {
        // Its freeze is over and it runs on; the next victim is anyone, itself included.
        thawed.thawed = false;
        report.freezes += 1;
        victim = rng.int(0, engines - 1);
        if (killing()) slots[victim]!.arm(choosePlan(rng, timerMaxMs, freezing));
      }
      let running: number;
      try {
        running = (await store.listExecutions({ status: "RUNNING" })).length;
      } catch {
        continue; // the file is busy; look again
      }
      if (running === 0) break;
      if (!killing()) killingStoppedAt ??= Date.now();
      const since = Math.max(lastKillAt, killingStoppedAt ?? Infinity);
      if (Date.now() - since > settleMs) {
        for (const row of await store.listExecutions({ status: "RUNNING" })) {
          violations.push({ invariant: "execution stuck", executionId: row.executionId, detail: `still RUNNING ${settleMs} ms after the last kill (nextWakeAt ${row.nextWakeAt}, epoch ${row.epoch}, ${row.invocations} invocations)` });
        }
        break;
      }
    }
    finished = true;
    await Promise.all(slots.map((w) => w.stop()));
    for (const worker of slots) collectWorkerErrors(worker.stderr, report.workerErrors);
    await completer;
    for (const worker of spawned) {
      if (worker.frozen) frozenPids.add(worker.pid);
      // Also the kills the loop had not seen yet when the round ended (a loaded machine
      // delivers exits late), and a stop that had to end in SIGKILL: each cut a start short.
      if (worker.killedBy || (await worker.exit).signal === "SIGKILL") killedPids.add(worker.pid);
    }
    journal.close();

    const evidence: RoundEvidence = {
      executionIds: plans.map((p) => p.executionId),
      rows: new Map(),
      updates: new Map(),
      sideLog: readSideLog(sideLogPath),
      killedPids,
      frozenPids,
      reference: await reference,
    };
    for (const plan of plans) {
      evidence.rows.set(plan.executionId, await control.getExecution(plan.executionId));
      evidence.updates.set(plan.executionId, await control.history(plan.executionId));
    }
    for (const sender of senders) await sender.close();
    for (const s of senderStores) await s.close();
    await control.close();
    await store.close();
    violations.push(...checkRound(evidence), ...checkConfirmations(confirmations, evidence), ...checkDeadlineRaces(races, evidence), ...checkBlockingSteps(evidence));
    for (const race of races.values()) report.deadlineRaces[race.sends.some((s) => s.delivered) ? "delivered" : "timedOut"] += 1;
    if (violations.length === 0 && !options.keepFiles) {
      for (const path of [storePath, `${storePath}-wal`, `${storePath}-shm`, sideLogPath]) rmSync(path, { force: true });
    }
    return { violations, kills: report.kills - killsBefore };
  }
}

function postgresSchemaUrl(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set("schema", schema);
  return withSchema.toString();
}

/** The same executions, crash-free, in this process on a MemoryStore: what each must end with. */
async function runReference(plans: PlannedExecution[]): Promise<Map<string, ExecutionOutcome>> {
  const store = new MemoryStore();
  const engine = createEngine({ store, functions: tortureHandlers, pollMs: 10 });
  let finished = false;
  const completer = completeCallbacks([engine], () => finished, []);
  try {
    for (const plan of plans) await engine.start(plan.functionName, plan.input, { executionId: plan.executionId });
    const rows = await Promise.all(plans.map((plan) => engine.waitForExecution(plan.executionId, { timeoutMs: 120_000 })));
    return new Map(rows.map((row) => [row.executionId, { status: row.status, result: row.result, error: row.error }]));
  } finally {
    finished = true;
    await completer;
    await engine.close();
    await store.close();
  }
}

/** The torture functions that wait on callbacks. */
const CALLBACK_FUNCTIONS = new Set<string>(["approvals", "deadline"] satisfies TortureFunction[]);

/**
 * Plays the outside world: answers every open callback as callbackOutcomeFor says, from every
 * sender engine at once (each on its own connection): exactly one may be told it was
 * delivered, the others that it no longer waits (counted in `confirmations`). Callbacks at
 * the deadline (deadline-mode.ts) are raced around their deadline, recorded in `deadlines.races`.
 */
async function completeCallbacks(
  senders: Engine[],
  finished: () => boolean,
  errors: string[],
  confirmations: Confirmations = new Map(),
  deadlines?: { races: DeadlineRaces; rng: Rng },
): Promise<void> {
  const engine = senders[0]!;
  const sent = new Set<string>();
  const racing: Promise<void>[] = [];
  while (!finished()) {
    try {
      for (const row of await engine.listExecutions({ status: "RUNNING" })) {
        if (!CALLBACK_FUNCTIONS.has(row.functionName)) continue; // their operations are not read for nothing
        for (const record of await engine.operations(row.executionId)) {
          const callbackId = record.CallbackDetails?.CallbackId;
          if (record.Type !== "CALLBACK" || record.Status !== "STARTED" || !callbackId || sent.has(callbackId)) continue;
          if (deadlines && isDeadlineCallback(record)) {
            sent.add(callbackId);
            racing.push(raceDeadline(senders, row.executionId, record, deadlines.rng, deadlines.races));
            continue;
          }
          const outcome = callbackOutcomeFor(record);
          if (!outcome) continue;
          const answers = await Promise.allSettled(
            senders.map((sender) => (outcome.kind === "success" ? sender.sendCallbackSuccess(callbackId, outcome.result) : sender.sendCallbackFailure(callbackId, outcome.error))),
          );
          const confirmed = answers.filter((a) => a.status === "fulfilled").length;
          const entry = confirmations.get(callbackId) ?? { executionId: row.executionId, operationId: record.Id, kind: outcome.kind, confirmed: 0 };
          entry.confirmed += confirmed;
          confirmations.set(callbackId, entry);
          sent.add(callbackId);
          for (const answer of answers) {
            // Completed by another sender, or timed out meanwhile: nothing left to answer.
            if (answer.status === "rejected" && !/no longer waiting/.test((answer.reason as Error).message)) {
              sent.delete(callbackId);
              note(errors, `callback ${callbackId}: ${(answer.reason as Error).message}`);
            }
          }
        }
      }
    } catch (error) {
      note(errors, `callback completer: ${(error as Error).message}`);
    }
    await sleep(30);
  }
  await Promise.all(racing);
}

function collectWorkerErrors(stderr: string, errors: string[]): void {
  for (const line of stderr.split("\n")) if (line.startsWith("worker-error")) note(errors, line);
}

function note(errors: string[], message: string): void {
  if (errors.length < 50 && !errors.includes(message)) errors.push(message);
}
