import type { DurableExecutionHandler, DurableExecutionConfig, LambdaContext, OperationRecord } from "../runtime/index.js";
import { runInvocation, type InvocationOutcome } from "../runtime/run-invocation.js";
import { LoggerSettings } from "../runtime/logger.js";
import { SeededRandom } from "../runtime/deterministic.js";
import type { MemoryJournalStore } from "./memory-journal-store.js";

const OPT_OUT =
  " (replayable checks that every invocation replays to the same operations and result; the official runner does not. " +
  "If this handler is meant to differ on replay, pass replayCheck: false to the LocalDurableTestRunner.)";

/** The runner's replay check found the handler does not replay to the same operations and result. */
export class ReplayDivergenceError extends Error {
  constructor(message: string) {
    super(message + OPT_OUT);
    this.name = "ReplayDivergenceError";
  }
}

/** Replays never log and ignore configureLogger: the original invocation already logged. */
class SilentLoggerSettings extends LoggerSettings {
  constructor() {
    super();
    this.target = { info() {}, warn() {}, error() {}, debug() {}, log() {} };
  }
  override configure(): void {}
}

// Far enough that any value derived from the wall clock differs, not a whole number of days.
const CLOCK_SHIFT_MS = 3 * 86_400_000 + 7 * 3_600_000 + 12_345;

/** Runs `body` with Date shifted and Math.random reseeded, restoring both afterwards. */
async function withPerturbedGlobals<T>(seed: string, body: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const realRandom = Math.random;
  // A function, not a class: `Date()` without `new` must work as it does on the real Date
  // (returning the current time as a string), only shifted.
  function ShiftedDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(RealDate.now() + CLOCK_SHIFT_MS).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [RealDate.now() + CLOCK_SHIFT_MS] : args, new.target);
  }
  ShiftedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(ShiftedDate, RealDate); // Date.UTC, Date.parse
  ShiftedDate.now = (): number => RealDate.now() + CLOCK_SHIFT_MS;
  const random = new SeededRandom(seed);
  globalThis.Date = ShiftedDate as unknown as DateConstructor;
  Math.random = () => random.next();
  try {
    return await body();
  } finally {
    globalThis.Date = RealDate;
    Math.random = realRandom;
  }
}

function hasCompletedAncestor(id: string, store: MemoryJournalStore): boolean {
  const parts = id.split("/");
  for (let i = 1; i < parts.length; i++) {
    const ancestor = store.get(parts.slice(0, i).join("/"));
    if (ancestor?.Type === "CONTEXT" && (ancestor.Status === "SUCCEEDED" || ancestor.Status === "FAILED")) return true;
  }
  return false;
}

const describe = (id: string, store: MemoryJournalStore): string => {
  const r: OperationRecord | undefined = store.get(id);
  return r ? `${r.SubType ?? r.Type}${r.Name !== undefined ? ` "${r.Name}"` : ""} (id ${id})` : `id ${id}`;
};

/**
 * Replays the handler from its first line against the journal the invocation left behind,
 * with the wall clock shifted and Math.random reseeded, and compares what it issues and
 * returns with the original invocation. Throws the first difference.
 */
export async function checkReplay(options: {
  handler: DurableExecutionHandler;
  config: DurableExecutionConfig | undefined;
  executionArn: string;
  store: MemoryJournalStore;
  clock: () => number;
  original: InvocationOutcome;
  invocationIndex: number;
  lambdaContext?: LambdaContext;
}): Promise<void> {
  const { original, store } = options;
  const replay = await withPerturbedGlobals(`${options.executionArn}/replay-check/${options.invocationIndex}`, () =>
    runInvocation({
      handler: options.handler,
      config: options.config,
      executionArn: options.executionArn,
      store: store.snapshot(),
      clock: options.clock,
      mode: "verify",
      lambdaContext: options.lambdaContext,
      loggerSettings: new SilentLoggerSettings(),
    }),
  );
  const where = `Replay check after invocation ${options.invocationIndex + 1}`;
  // A step result that could not be serialized failed the run inside step code, which the
  // replay never runs: it stops where that step was, and there is nothing more to compare.
  if (original.status === "FAILED" && original.error.ErrorType === "SerdesFailedError" && replay.status === "PENDING") return;
  if (replay.status === "FAILED" && replay.nonDeterministic) {
    throw new ReplayDivergenceError(`${where}: ${replay.error.ErrorMessage}`);
  }
  const replayed = new Set(replay.issued);
  const missing = original.issued.filter((id) => !replayed.has(id) && !hasCompletedAncestor(id, store));
  if (missing.length > 0) {
    throw new ReplayDivergenceError(
      `${where}: the original run issued ${describe(missing[0]!, store)} but the replay did not reach it. ` +
        `Orchestration code must take the same path on every replay; move clock, randomness and I/O into context.step(...).`,
    );
  }
  if (replay.status !== original.status) {
    throw new ReplayDivergenceError(`${where}: the original run ended ${original.status} but the replay ended ${replay.status}${replay.status === "FAILED" ? ` (${replay.error.ErrorMessage})` : ""}.`);
  }
  if (original.status === "SUCCEEDED" && replay.status === "SUCCEEDED" && original.result !== replay.result) {
    throw new ReplayDivergenceError(
      `${where}: the handler returned ${original.result} but the replay returned ${replay.result}. The result depends on something ` +
        `outside the journal (clock, randomness, I/O or environment read outside a step).`,
    );
  }
  if (original.status === "FAILED" && replay.status === "FAILED" && original.error.ErrorMessage !== replay.error.ErrorMessage) {
    throw new ReplayDivergenceError(`${where}: the handler failed with "${original.error.ErrorMessage}" but the replay failed with "${replay.error.ErrorMessage}".`);
  }
}
