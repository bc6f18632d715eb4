import { LAMBDA_EXECUTION_STATUSES, listWithLambdaStatus, type LambdaExecutionStatus } from "../../engine/execution-status.js";
import type { ExecutionRow } from "../../engine/index.js";
import { parseCommand, parseLimit } from "../args.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { displayFunction } from "../function-ref.js";
import { writeLines, type Io } from "../io.js";
import { openStore, storeExists, storeLocation } from "../store.js";
import { colorWanted, createStyle, padEnd, visibleLength, type Style } from "../style.js";
import { formatDate, humanDuration } from "../timeline.js";
import { printable, printableJson } from "../printable.js";

export const LIST_USAGE = `Usage: replayable list [--status running|succeeded|failed|timed_out|stopped] [--limit <n>] [--store <path>] [--json]

Lists the executions in the store, newest first: id, function, status, when it started, how
long it ran, its invocations, and for running ones when a worker next has work for them.
The status is Lambda's: an execution stopped (StopDurableExecution, the console) is STOPPED,
one past its ExecutionTimeout (replayable serve) TIMED_OUT; FAILED is neither.

  --status <s>    only executions with this status
  --limit <n>     at most n executions (default 20)
  --json          the executions as JSON
  --store <path>  the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

Exit codes: 0 listed (also when there are none), 2 bad arguments, 4 store unusable.
`;

export async function listCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand(args, { status: { type: "string" }, limit: { type: "string" }, store: { type: "string" }, json: { type: "boolean" } }, LIST_USAGE, {
    min: 0,
    max: 0,
    what: "",
  });
  const status = values.status?.toUpperCase() as LambdaExecutionStatus | undefined;
  if (status !== undefined && !LAMBDA_EXECUTION_STATUSES.includes(status)) {
    throw usageError(`--status must be one of ${LAMBDA_EXECUTION_STATUSES.map((s) => s.toLowerCase()).join(", ")}; got ${values.status}`, LIST_USAGE);
  }
  const limit = parseLimit(values.limit, 20, LIST_USAGE);
  const location = storeLocation(io.cwd, values.store, io.env);
  if (!storeExists(location)) {
    if (values.json) io.stdout.write("[]\n");
    else writeLines(io.stdout, [`no executions: there is no store at ${location.shown} yet (replayable run <file> creates it)`]);
    return ExitCode.OK;
  }
  const store = await openStore(location);
  try {
    const executions = await listWithLambdaStatus(store, { status, limit });
    if (values.json) {
      io.stdout.write(`${printableJson(JSON.stringify(executions.map(({ row, status }) => ({ ...row, status, function: displayFunction(row.functionName) })), null, 2))}\n`);
      return ExitCode.OK;
    }
    if (executions.length === 0) {
      writeLines(io.stdout, [`no ${status ? `${status.toLowerCase()} ` : ""}executions in ${location.shown}`]);
      return ExitCode.OK;
    }
    writeLines(io.stdout, formatTable(executions, Date.now(), createStyle(colorWanted(io.stdout, io.env))));
    return ExitCode.OK;
  } finally {
    await store.close();
  }
}

export function formatTable(executions: ReadonlyArray<{ row: ExecutionRow; status: LambdaExecutionStatus }>, now: number, style: Style): string[] {
  const rows = executions.map(({ row: e, status }) => [
    printable(e.executionId),
    displayFunction(e.functionName),
    statusCell(status, style),
    formatDate(e.createdAt),
    e.endedAt !== undefined ? humanDuration(e.endedAt - e.createdAt) : `${humanDuration(now - e.createdAt)}…`,
    String(e.invocations),
    e.status !== "RUNNING" ? "" : e.nextWakeAt === undefined ? "waits for a callback or invoke" : e.nextWakeAt <= now ? "due now" : `due in ${humanDuration(e.nextWakeAt - now)}`,
  ]);
  const header = ["EXECUTION", "FUNCTION", "STATUS", "STARTED", "DURATION", "INVOCATIONS", "NEXT"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visibleLength(row[column]!))));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : padEnd(cell, widths[column]!))).join("  ").trimEnd();
  return [style.dim(line(header)), ...rows.map(line)];
}

function statusCell(status: LambdaExecutionStatus, style: Style): string {
  return status === "SUCCEEDED" ? style.green(status) : status === "RUNNING" ? style.yellow(status) : style.red(status);
}
