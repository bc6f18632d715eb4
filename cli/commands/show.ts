import { lambdaStatusOf } from "../../engine/execution-status.js";
import { createEngine } from "../../engine/index.js";
import { parseCommand } from "../args.js";
import { ExitCode, notFound } from "../exit-codes.js";
import { follow } from "../follow.js";
import { displayFunction } from "../function-ref.js";
import { interruptSignal } from "../interrupt.js";
import { writeLines, type Io } from "../io.js";
import { formatOutcome, formatRow, formatWaiting } from "../render.js";
import { openStore, storeExists, storeLocation } from "../store.js";
import { colorWanted, createStyle } from "../style.js";
import { formatDate, humanDuration, latestStates, timelineRows, waitingOn } from "../timeline.js";
import { printable, printableJson } from "../printable.js";

export const SHOW_USAGE = `Usage: replayable show <executionId> [--store <path>] [--json] [--follow]

Prints an execution: its function, status and input, the timeline of its operations (name,
type, status, duration, attempt, the invocation that wrote it), what it waits for, and its
result or error.

  --json      the execution and the latest state of each operation, as JSON
  --follow    keep drawing the timeline until the execution ends (another process runs it)
  --store <path>  the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

Exit codes: 0 shown, 2 bad arguments, 3 no such execution, 4 store unusable.
`;

export async function showCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, { store: { type: "string" }, json: { type: "boolean" }, follow: { type: "boolean" } }, SHOW_USAGE, {
    min: 1,
    max: 1,
    what: "the execution id: replayable show <executionId> (replayable list shows them)",
  });
  const executionId = positionals[0]!;
  const location = storeLocation(io.cwd, values.store, io.env);
  if (!storeExists(location)) throw notFound(`No execution ${executionId}: there is no store at ${location.shown} (start one with replayable run <file>).`);
  const store = await openStore(location);
  try {
    const execution = await store.getExecution(executionId);
    if (!execution) throw notFound(`No execution ${executionId} in ${location.shown}; replayable list${location.args} shows the executions there.`);
    const history = await store.loadUpdates(executionId);
    const states = latestStates(history);
    // As Lambda names it: a stopped or timed-out execution is FAILED in the store.
    const status = await lambdaStatusOf(store, execution);
    if (values.json) {
      io.stdout.write(`${printableJson(JSON.stringify({ execution: { ...execution, status, function: displayFunction(execution.functionName) }, operations: states }, null, 2))}\n`);
      return ExitCode.OK;
    }
    const style = createStyle(colorWanted(io.stdout, io.env));
    const now = Date.now();
    const ended = execution.endedAt !== undefined ? ` · ended after ${humanDuration(execution.endedAt - execution.createdAt)}` : "";
    writeLines(io.stdout, [
      `${style.bold("execution")} ${style.bold(printable(execution.executionId))}`,
      `  function     ${displayFunction(execution.functionName)}`,
      `  status       ${status}`,
      `  started      ${formatDate(execution.createdAt)}${ended} · ${execution.invocations} invocation${execution.invocations === 1 ? "" : "s"}`,
      `  input        ${printable(execution.input)}`,
      ...(execution.parent ? [`  started by   ${printable(execution.parent.executionId)} (invoke ${printable(execution.parent.operationId)})`] : []),
      ...(execution.status === "RUNNING" && execution.expiredLeases ? [`  taken over   ${expiredLeasesNote(execution.expiredLeases)}`] : []),
      "",
    ]);
    if (values.follow && execution.status === "RUNNING") {
      // Draw from the store while another process (run, resume) does the work.
      const engine = createEngine({ store, worker: false });
      const interrupt = interruptSignal();
      try {
        const last = await follow({ engine, executionId, out: io.stdout, interactive: io.stdout.isTTY === true, style, hints: { storeArgs: location.args }, signal: interrupt.signal });
        if (!last) return ExitCode.INTERRUPTED;
        return ExitCode.OK;
      } finally {
        interrupt.dispose();
        await engine.close();
      }
    }
    const rows = timelineRows(states);
    writeLines(io.stdout, rows.length ? rows.map((row) => formatRow(row, now, style)) : ["  (no operations yet)"]);
    writeLines(io.stdout, [""]);
    if (execution.status === "RUNNING") {
      const waiting = formatWaiting(
        waitingOn(states.map((s) => s.record)),
        now,
        style,
        { storeArgs: location.args },
      );
      writeLines(io.stdout, [...formatOutcome(execution, style), ...waiting]);
      if (execution.nextWakeAt !== undefined && execution.nextWakeAt <= now) {
        writeLines(io.stdout, [style.dim(`due now: a worker picks it up (replayable resume${location.args}, or the replayable run following it)`)]);
      }
    } else {
      writeLines(io.stdout, formatOutcome(execution, style, status));
    }
    return ExitCode.OK;
  } finally {
    await store.close();
  }
}

/** Why an execution's worker changed without finishing, for someone wondering why nothing happens. */
function expiredLeasesNote(count: number): string {
  return `${count} time${count === 1 ? "" : "s"} in a row from a worker whose lease expired before it finished: it was killed, or a step blocks the event loop longer than the lease (renewals cannot run). Each takeover doubles the next lease (up to 16x), so a long synchronous step finishes; if this count keeps growing, make the step asynchronous or shorter.`;
}
