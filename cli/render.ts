import type { LambdaExecutionStatus } from "../engine/execution-status.js";
import type { ExecutionRow } from "../engine/index.js";
import { padEnd, type Style } from "./style.js";
import { clockTime, describeWaiting, errorText, humanDuration, type TimelineRow, type Waiting } from "./timeline.js";
import { printable, printableJson } from "./printable.js";

/** Lines of the timeline, the waiting notes and the outcome, as `run`, `show` and `resume` print them. */

const SYMBOL: Record<string, string> = {
  SUCCEEDED: "✓",
  FAILED: "✗",
  TIMED_OUT: "✗",
  CANCELLED: "-",
  STOPPED: "-",
  STARTED: "…",
  PENDING: "↻",
  READY: "↻",
};

export function isTerminal(status: string): boolean {
  return status === "SUCCEEDED" || status === "FAILED" || status === "TIMED_OUT" || status === "CANCELLED" || status === "STOPPED";
}

function paint(style: Style, status: string, text: string): string {
  if (status === "SUCCEEDED") return style.green(text);
  if (status === "FAILED" || status === "TIMED_OUT") return style.red(text);
  if (status === "PENDING" || status === "READY") return style.yellow(text);
  if (status === "STARTED") return style.cyan(text);
  return style.dim(text);
}

/**
 *   ✓ charge                  step        SUCCEEDED     12ms  attempt 1  inv 1
 *
 * `live`: the row is redrawn (a terminal), so an open operation shows its running time;
 * printed once (a log), it shows none.
 */
export function formatRow(row: TimelineRow, now: number, style: Style, live = true): string {
  const symbol = paint(style, row.status, SYMBOL[row.status] ?? "?");
  const name = padEnd(`${"  ".repeat(row.depth)}${row.name}`, 24);
  const kind = padEnd(style.dim(row.kind), 16);
  const status = padEnd(paint(style, row.status, row.status), 9);
  const ended = isTerminal(row.status);
  const duration = (ended ? humanDuration((row.endedAt ?? now) - row.startedAt) : live ? `${humanDuration(now - row.startedAt)}…` : "").padStart(7);
  const attempt = padEnd(row.attempt !== undefined ? `attempt ${row.attempt}` : "", 10);
  const invocation = row.invocation !== undefined ? style.dim(`inv ${row.invocation}`) : "";
  const detail = row.detail ? `  ${row.status === "FAILED" || row.status === "TIMED_OUT" || row.status === "PENDING" ? style.red(row.detail) : style.dim(row.detail)}` : "";
  return `  ${symbol} ${name} ${kind} ${status} ${duration}  ${attempt} ${invocation}${detail}`.trimEnd();
}

export interface CommandHints {
  /** Extra arguments every suggested command needs (e.g. `--store x.sqlite` when not the default). */
  readonly storeArgs: string;
}

/** The progress line and, for callbacks, how to complete them. */
export function formatWaiting(waiting: readonly Waiting[], now: number, style: Style, hints: CommandHints): string[] {
  if (waiting.length === 0) return [];
  const blocking = waiting.filter((w) => w.kind !== "step");
  const running = waiting.filter((w) => w.kind === "step");
  const lines: string[] = [];
  if (blocking.length > 0) lines.push(`${style.yellow("waiting:")} ${blocking.map((w) => describeWaiting(w, now)).join("; ")}`);
  else lines.push(`${style.cyan("running:")} ${running.map((w) => describeWaiting(w, now)).join("; ")}`);
  for (const w of blocking) {
    if (w.kind !== "callback") continue;
    lines.push(`  complete it: replayable callback ${w.callbackId}${hints.storeArgs} --succeed '<json>'  (or --fail '<message>')`);
  }
  return lines;
}

/** A stable key of what is waited for (not the countdown): plain output prints the progress line when it changes. */
export function waitingKey(waiting: readonly Waiting[]): string {
  return waiting.map((w) => `${w.kind}:${w.name}:${"callbackId" in w ? w.callbackId : ""}`).join("|");
}

/** The outcome of an ended execution: status (as Lambda names it: FAILED, TIMED_OUT or STOPPED for a failed row), duration, invocations, then the result or the error. */
export function formatOutcome(execution: ExecutionRow, style: Style, status: LambdaExecutionStatus = execution.status): string[] {
  const took = humanDuration((execution.endedAt ?? execution.updatedAt) - execution.createdAt);
  const invocations = `${execution.invocations} invocation${execution.invocations === 1 ? "" : "s"}`;
  if (execution.status === "SUCCEEDED") {
    return [style.green(style.bold(`✓ SUCCEEDED`)) + ` in ${took} (${invocations})`, `result: ${prettyJson(execution.result)}`];
  }
  if (execution.status === "FAILED") {
    const lines = [style.red(style.bold(`✗ ${status}`)) + ` in ${took} (${invocations})`, `error: ${style.red(errorText(execution.error))}`];
    for (const frame of (execution.error?.StackTrace ?? []).slice(0, 8)) {
      const text = printable(frame.trim());
      if (text && !text.startsWith(`${execution.error?.ErrorType ?? "Error"}:`)) lines.push(style.dim(`  ${text.startsWith("at ") ? text : `at ${text}`}`));
    }
    return lines;
  }
  return [`${style.yellow("RUNNING")} since ${clockTime(execution.createdAt)} (${invocations} so far)`];
}

/** JSON text as indented JSON; "(none)" for a handler that returned nothing. */
export function prettyJson(text: string | undefined): string {
  if (text === undefined) return "(none)";
  try {
    return printableJson(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return printable(text);
  }
}
