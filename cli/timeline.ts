import type { OperationRecord, OperationStatus } from "../runtime/operation-model.js";
import { printable } from "./printable.js";

/**
 * What `replayable run` and `replayable show` draw: one row per operation of an execution,
 * in tree order (a map's items under the map), and what the execution is waiting for.
 * Pure functions over the engine's records, so the drawing code and the tests share them.
 */

export interface TimelineRow {
  id: string;
  /** 0 for operations of the handler's own context, 1 for their children, ... */
  depth: number;
  name: string;
  /** "step", "wait", "callback", "map", "map item", ... */
  kind: string;
  status: OperationStatus;
  startedAt: number;
  endedAt: number | undefined;
  /** Steps: the attempt this state belongs to (1 for the first). */
  attempt: number | undefined;
  /** The invocation that wrote this state, when known. */
  invocation: number | undefined;
  /** A short note: a wait's end, a retry's time, a failed operation's error. */
  detail: string | undefined;
}

/** Something the execution waits for, or runs, at the moment. */
export type Waiting =
  | { kind: "wait"; name: string; endsAt: number }
  | { kind: "retry"; name: string; at: number; attempt: number }
  | { kind: "callback"; name: string; callbackId: string; deadline: number | undefined }
  | { kind: "invoke"; name: string; functionName: string }
  | { kind: "step"; name: string; since: number; attempt: number };

/** The execution's own record: its outcome is the command's result, not a timeline row. */
const EXECUTION_RECORD_ID = "execution";

const KIND_OF_SUBTYPE: Record<string, string> = {
  Step: "step",
  Wait: "wait",
  Callback: "callback",
  RunInChildContext: "child context",
  Map: "map",
  MapIteration: "map item",
  Parallel: "parallel",
  ParallelBranch: "branch",
  WaitForCallback: "waitForCallback",
  WaitForCondition: "waitForCondition",
  ChainedInvoke: "invoke",
  Now: "now",
  Patch: "patch",
};

export function kindOf(record: OperationRecord): string {
  return record.SubType !== undefined && Object.hasOwn(KIND_OF_SUBTYPE, record.SubType) ? KIND_OF_SUBTYPE[record.SubType]! : record.Type.toLowerCase();
}

/** The user's name, else the kind in parentheses ("(step)", "(callback) #2" for the third unnamed one in a context). */
export function displayName(record: OperationRecord): string {
  if (record.Name) return printable(record.Name);
  const occurrence = Number(/#(\d+)$/.exec(record.Id)?.[1] ?? 0);
  return `(${kindOf(record)})${occurrence > 0 ? ` #${occurrence}` : ""}`;
}

/** The latest state of every operation, with the invocation that wrote it, from the engine's history. */
export function latestStates(history: Iterable<{ invocation: number; record: OperationRecord }>): Array<{ record: OperationRecord; invocation: number }> {
  const latest = new Map<string, { record: OperationRecord; invocation: number }>();
  for (const update of history) latest.set(update.record.Id, { record: update.record, invocation: update.invocation });
  return [...latest.values()];
}

/**
 * Rows in tree order: each operation after its parent, siblings in the order they were
 * first written. `records` is in first-write order (what the engine's operations() and
 * latestStates() return).
 */
export function timelineRows(records: ReadonlyArray<OperationRecord | { record: OperationRecord; invocation?: number }>): TimelineRow[] {
  const entries = records.map((entry) => ("record" in entry ? entry : { record: entry, invocation: undefined }));
  const known = new Set(entries.map((entry) => entry.record.Id));
  const children = new Map<string | undefined, typeof entries>();
  for (const entry of entries) {
    if (entry.record.Id === EXECUTION_RECORD_ID) continue;
    const parent = entry.record.ParentId !== undefined && known.has(entry.record.ParentId) ? entry.record.ParentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(entry);
    children.set(parent, list);
  }
  const rows: TimelineRow[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const { record, invocation } of children.get(parent) ?? []) {
      rows.push(rowOf(record, depth, invocation));
      visit(record.Id, depth + 1);
    }
  };
  visit(undefined, 0);
  return rows;
}

function rowOf(record: OperationRecord, depth: number, invocation: number | undefined): TimelineRow {
  return {
    id: record.Id,
    depth,
    name: displayName(record),
    kind: kindOf(record),
    status: record.Status,
    startedAt: record.StartTimestamp.getTime(),
    endedAt: record.EndTimestamp?.getTime(),
    attempt: attemptOf(record),
    invocation,
    detail: detailOf(record),
  };
}

function attemptOf(record: OperationRecord): number | undefined {
  if (record.Type !== "STEP" || record.SubType === "Now" || record.SubType === "Patch") return undefined;
  const made = record.StepDetails?.Attempt ?? 0;
  // A STARTED step records the attempts made before this one; the others, the attempts made.
  return record.Status === "STARTED" ? made + 1 : Math.max(made, 1);
}

function detailOf(record: OperationRecord): string | undefined {
  const error = record.StepDetails?.Error ?? record.ContextDetails?.Error ?? record.CallbackDetails?.Error ?? record.ChainedInvokeDetails?.Error;
  if (record.Type === "STEP" && record.Status === "PENDING") {
    const at = record.StepDetails?.NextAttemptTimestamp;
    return `${errorText(error)}${at ? `; retry at ${clockTime(at.getTime())}` : ""}`;
  }
  if (error && (record.Status === "FAILED" || record.Status === "TIMED_OUT")) return errorText(error);
  if (record.Type === "WAIT" && record.Status === "STARTED") {
    const end = record.WaitDetails?.ScheduledEndTimestamp;
    return end ? `until ${clockTime(end.getTime())}` : undefined;
  }
  if (record.Type === "CHAINED_INVOKE") return printable(record.ChainedInvokeOptions?.FunctionName ?? "");
  return undefined;
}

export function errorText(error: { ErrorType?: string | undefined; ErrorMessage?: string | undefined } | undefined): string {
  if (!error) return "error";
  const type = error.ErrorType && error.ErrorType !== "Error" ? `${error.ErrorType}: ` : "";
  return printable(`${type}${error.ErrorMessage ?? ""}`.trim()) || "error";
}

/** What the execution waits for now, soonest first; running steps last. */
export function waitingOn(records: Iterable<OperationRecord>): Waiting[] {
  const waiting: Waiting[] = [];
  const byId = new Map<string, OperationRecord>();
  for (const record of records) byId.set(record.Id, record);
  for (const record of byId.values()) {
    // The callback of waitForCallback("manager-approval", ...) is called by its parent's name.
    const parent = record.ParentId !== undefined ? byId.get(record.ParentId) : undefined;
    const name = record.Name !== undefined ? printable(record.Name) : parent?.SubType === "WaitForCallback" && parent.Name ? printable(parent.Name) : displayName(record);
    if (record.Type === "WAIT" && record.Status === "STARTED") {
      waiting.push({ kind: "wait", name, endsAt: record.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? record.StartTimestamp.getTime() });
    } else if (record.Type === "STEP" && (record.Status === "PENDING" || record.Status === "READY")) {
      waiting.push({ kind: "retry", name, at: record.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0, attempt: (record.StepDetails?.Attempt ?? 0) + 1 });
    } else if (record.Type === "CALLBACK" && record.Status === "STARTED") {
      waiting.push({ kind: "callback", name, callbackId: printable(record.CallbackDetails?.CallbackId ?? ""), deadline: callbackDeadline(record) });
    } else if (record.Type === "CHAINED_INVOKE" && record.Status === "STARTED") {
      waiting.push({ kind: "invoke", name, functionName: printable(record.ChainedInvokeOptions?.FunctionName ?? "") });
    } else if (record.Type === "STEP" && record.Status === "STARTED") {
      waiting.push({ kind: "step", name, since: record.StartTimestamp.getTime(), attempt: (record.StepDetails?.Attempt ?? 0) + 1 });
    }
  }
  const order = (w: Waiting) => (w.kind === "wait" ? w.endsAt : w.kind === "retry" ? w.at : w.kind === "callback" ? (w.deadline ?? Infinity) : Infinity);
  return waiting.sort((a, b) => order(a) - order(b));
}

function callbackDeadline(record: OperationRecord): number | undefined {
  const timeout = record.CallbackOptions?.TimeoutSeconds;
  return timeout ? record.StartTimestamp.getTime() + timeout * 1000 : undefined;
}

/** "4s", "1m 05s", "2h 03m", "3d 4h": how long until or since, for people. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** HH:MM:SS in local time. */
export function clockTime(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** YYYY-MM-DD HH:MM:SS in local time. */
export function formatDate(ms: number): string {
  const date = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${clockTime(ms)}`;
}

/** One sentence per thing the execution waits for: "wait 'cool-off' ends in 4s". */
export function describeWaiting(waiting: Waiting, now: number): string {
  switch (waiting.kind) {
    case "wait":
      return waiting.endsAt > now ? `wait '${waiting.name}' ends in ${humanDuration(waiting.endsAt - now)}` : `wait '${waiting.name}' has ended; resuming`;
    case "retry":
      return waiting.at > now ? `step '${waiting.name}' retries in ${humanDuration(waiting.at - now)} (attempt ${waiting.attempt})` : `step '${waiting.name}' retries now (attempt ${waiting.attempt})`;
    case "callback":
      return `callback '${waiting.name}'${waiting.deadline !== undefined ? (waiting.deadline > now ? ` (times out in ${humanDuration(waiting.deadline - now)})` : " (timing out)") : ""}`;
    case "invoke":
      return `invoke '${waiting.name}' of ${waiting.functionName}`;
    case "step":
      return `step '${waiting.name}' running for ${humanDuration(now - waiting.since)}${waiting.attempt > 1 ? ` (attempt ${waiting.attempt})` : ""}`;
  }
}
