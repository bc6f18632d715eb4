import { createEngine, type EngineEvent, type EngineStore } from "../../engine/index.js";
import { parseCommand } from "../args.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { FunctionLoader } from "../function-loader.js";
import { displayFunction } from "../function-ref.js";
import { interruptSignal } from "../interrupt.js";
import { writeLines, type Io } from "../io.js";
import { formatRow, isTerminal } from "../render.js";
import { openStore, storeExists, storeLocation } from "../store.js";
import { colorWanted, createStyle, type Style } from "../style.js";
import { clockTime, describeWaiting, errorText, humanDuration, timelineRows, waitingOn } from "../timeline.js";
import { printable, printableLines } from "../printable.js";
import { RepeatedLineFilter, workerErrorLine } from "../engine-errors.js";

export const RESUME_USAGE = `Usage: replayable resume [--store <path>] [--once]

A worker: runs every execution in the store that has work due (a wait that ended, a
callback that completed, a retry, a new execution started with --no-follow), now and as
more comes due, until Ctrl-C. Executions killed mid-run continue from their checkpoints.

It imports an execution's handler file when the execution first comes due, as \`replayable
run\` recorded it (the path relative to the working directory, the export, and --sdk aws when
it was given): run it in the directory \`run\` was started in.

  --once          run what is due now, print what the others wait for, and exit
  --store <path>  the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

Exit codes: 0 done (or stopped with Ctrl-C), 2 some due executions could not run because
their handler file could not be loaded, 4 store unusable.
`;

export async function resumeCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand(args, { store: { type: "string" }, once: { type: "boolean" } }, RESUME_USAGE, { min: 0, max: 0, what: "" });
  const location = storeLocation(io.cwd, values.store, io.env);
  const style = createStyle(colorWanted(io.stdout, io.env));
  if (values.once && !storeExists(location)) {
    writeLines(io.stdout, [`nothing to resume: there is no store at ${location.shown}`]);
    return ExitCode.OK;
  }
  const store = await openStore(location);
  // The engine asks for a function the first time one of its executions is due; one that
  // cannot be loaded is reported once and its executions are handed back untouched.
  const loader = new FunctionLoader(io.cwd, async (name, problem) => {
    const affected = (await store.listExecutions({ status: "RUNNING", functionName: name }).catch(() => [])).map((e) => e.executionId);
    const count = Math.max(1, affected.length);
    const ids = affected.length ? ` (${affected.slice(0, 5).join(", ")}${affected.length > 5 ? ", ..." : ""})` : "";
    io.stderr.write(`${style.red("cannot run")} ${count} execution${count === 1 ? "" : "s"}${printable(ids)}: ${printableLines(problem)}\n`);
  });
  const engine = createEngine({ store, worker: !values.once, resolveFunction: (name) => loader.resolve(name) });
  // A lasting store error stops the worker (exit 4); a transient one is a line, and the engine retries.
  const stopped = new AbortController();
  let lasting: CliError | undefined;
  const repeated = new RepeatedLineFilter();
  engine.subscribe((event) => {
    if (event.type !== "worker-error") return logEvent(event, io, style);
    const reported = workerErrorLine(event.error, event.executionId, style);
    if (!reported.lasting) {
      const line = repeated.pass(reported.line);
      return void (line !== undefined && io.stderr.write(`${style.dim(clockTime(Date.now()))} ${line}\n`));
    }
    lasting ??= reported.lasting;
    stopped.abort();
  });
  try {
    if (values.once) {
      const code = await runOnce(engine, store, loader, io, style, location.args, stopped.signal);
      if (lasting) throw lasting;
      return code;
    }
    writeLines(io.stdout, [`${style.bold("resume")}: worker ${engine.workerId} on ${location.shown}; runs every execution as it comes due. Ctrl-C to stop.`]);
    const interrupt = interruptSignal();
    try {
      const stop = AbortSignal.any([interrupt.signal, stopped.signal]);
      await new Promise<void>((resolve) => stop.addEventListener("abort", () => resolve(), { once: true }));
    } finally {
      interrupt.dispose();
    }
    if (lasting) throw lasting;
    writeLines(io.stdout, ["resume: stopping; the invocations running now finish and commit first"]);
    return ExitCode.OK;
  } finally {
    await engine.close();
    await store.close();
  }
}

async function runOnce(engine: ReturnType<typeof createEngine>, store: EngineStore, loader: FunctionLoader, io: Io, style: Style, storeArgs: string, stopped: AbortSignal): Promise<number> {
  // What ran: executions whose handler was invoked (a claim handed back because its function
  // cannot be loaded here, or woken only by a heartbeat, is not counted).
  const invoked = new Set<string>();
  const unsubscribe = engine.subscribe((event) => event.type === "invocation-started" && invoked.add(event.executionId));
  // Each round runs what is due; what the last round's work made due (a retry, a child) runs in the next.
  // (A lasting store error stops it: the execution it hit stays due and would be claimed again and again.)
  while (!stopped.aborted && (await engine.runDue()) > 0);
  if (stopped.aborted) return ExitCode.STORE;
  unsubscribe();
  const ran = invoked.size;
  const now = Date.now();
  const running = await store.listExecutions({ status: "RUNNING" });
  const lines = [`resume --once: ran ${ran} due execution${ran === 1 ? "" : "s"}; ${running.length} still running`];
  let blocked = false;
  for (const execution of running) {
    const problem = loader.problems.get(execution.functionName);
    if (problem) {
      blocked = true;
      lines.push(`  ${printable(execution.executionId)}  ${displayFunction(execution.functionName)}  ${style.red("cannot run here")}`);
      continue;
    }
    const waiting = waitingOn(await store.loadOperations(execution.executionId)).filter((w) => w.kind !== "step");
    const what = waiting.length ? waiting.map((w) => describeWaiting(w, now)).join("; ") : execution.nextWakeAt !== undefined ? `due in ${humanDuration(execution.nextWakeAt - now)}` : "waiting";
    lines.push(`  ${printable(execution.executionId)}  ${displayFunction(execution.functionName)}  ${what}`);
  }
  if (running.some((e) => e.nextWakeAt !== undefined && !loader.problems.has(e.functionName))) lines.push(style.dim(`run replayable resume${storeArgs} (without --once) to keep a worker running`));
  writeLines(io.stdout, lines);
  return blocked ? ExitCode.USAGE : ExitCode.OK;
}

/** One line per thing the worker does, for people watching a long-running worker. */
function logEvent(event: EngineEvent, io: Io, style: Style): void {
  const time = style.dim(clockTime(Date.now()));
  switch (event.type) {
    case "invocation-started":
      io.stdout.write(`${time} ${printable(event.executionId)}  ${style.dim(`invocation ${event.invocation}${event.warm ? " (warm)" : ""}`)}\n`);
      return;
    case "operation": {
      if (event.record.Type === "EXECUTION") return;
      const row = timelineRows([{ record: event.record, invocation: event.invocation }])[0];
      if (!row || (!isTerminal(row.status) && row.kind !== "wait" && row.kind !== "callback" && row.status !== "PENDING")) return;
      io.stdout.write(`${time} ${printable(event.executionId)}${formatRow(row, Date.now(), style, false)}\n`);
      return;
    }
    case "execution-ended": {
      const e = event.execution;
      const outcome = e.status === "SUCCEEDED" ? `${style.green("✓ SUCCEEDED")} result ${printable(e.result ?? "(none)")}` : `${style.red("✗ FAILED")} ${errorText(e.error)}`;
      io.stdout.write(`${time} ${printable(e.executionId)}  ${outcome}\n`);
      return;
    }
    case "claim-expired":
      io.stdout.write(`${time} ${printable(event.executionId)}  ${style.yellow("claim expired")}: this worker's event loop was blocked longer than the lease; it stopped the invocation, and the execution continues under a new claim\n`);
      return;
    default:
      return;
  }
}
