import type { OperationRecord } from "../runtime/operation-model.js";
import type { InvocationRow } from "../engine/store.js";

// The execution page's timeline, computed from what the store committed: one row per
// operation (nested under its parent context, map or parallel), each drawn as segments on one
// time axis, and one band per invocation. A pure function of the history, so it is tested
// without a browser; the page only draws it.

export type SegmentKind =
  /** The operation ran (a step attempt, a context's body). */
  | "run"
  /** A failed attempt whose retry was scheduled: the wait until the next attempt. */
  | "retry-delay"
  /** A wait, callback or invoke holding the execution suspended. */
  | "suspended";

export interface TimelineSegment {
  kind: SegmentKind;
  start: number;
  /** Undefined while it is still going on. */
  end?: number | undefined;
  /** The 1-based attempt a "run" segment of a step is. */
  attempt?: number | undefined;
  /** How that attempt ended. */
  outcome?: string | undefined;
}

export interface TimelineRow {
  id: string;
  parentId?: string | undefined;
  depth: number;
  name?: string | undefined;
  type: string;
  subType?: string | undefined;
  status: string;
  start: number;
  end?: number | undefined;
  segments: TimelineSegment[];
  /** Invocations that replayed this operation from its record instead of running it. */
  replayedIn: number[];
  /** The invocation that first wrote it. */
  invocation: number;
  sourcePosition?: string | undefined;
}

export interface TimelineBand {
  invocation: number;
  start: number;
  end?: number | undefined;
  /** Continued a suspended handler in memory instead of replaying from the first line. */
  warm: boolean;
  outcome?: string | undefined;
}

export interface Timeline {
  start: number;
  end: number;
  rows: TimelineRow[];
  bands: TimelineBand[];
}

export interface TimelineUpdate {
  at: number;
  invocation: number;
  record: OperationRecord;
}

const SUSPENDING = new Set(["WAIT", "CALLBACK", "CHAINED_INVOKE"]);

export function buildTimeline(execution: { createdAt: number; endedAt?: number | undefined }, updates: readonly TimelineUpdate[], invocations: readonly InvocationRow[], now: number): Timeline {
  const byId = new Map<string, TimelineUpdate[]>();
  for (const update of updates) {
    const list = byId.get(update.record.Id) ?? [];
    list.push(update);
    byId.set(update.record.Id, list);
  }
  const bands: TimelineBand[] = invocations.map((i) => ({ invocation: i.invocation, start: i.startedAt, end: i.endedAt, warm: i.warm === true, outcome: i.outcome }));
  const rows = new Map<string, TimelineRow>();
  for (const [id, history] of byId) {
    const first = history[0]!;
    const latest = history[history.length - 1]!.record;
    const start = timeOf(first.record.StartTimestamp) ?? first.at;
    const end = latest.EndTimestamp !== undefined ? timeOf(latest.EndTimestamp) : undefined;
    rows.set(id, {
      id,
      parentId: latest.ParentId,
      depth: 0,
      name: latest.Name,
      type: latest.Type,
      subType: latest.SubType,
      status: latest.Status,
      start,
      end,
      segments: segmentsOf(latest.Type, history, start, end),
      replayedIn: end === undefined ? [] : bands.filter((b) => !b.warm && b.start >= end && b.invocation > first.invocation).map((b) => b.invocation),
      invocation: first.invocation,
      sourcePosition: latest.SourcePosition,
    });
  }
  const ordered = nest([...rows.values()]);
  const times = [execution.createdAt, ...ordered.flatMap((r) => [r.start, r.end ?? r.start]), ...bands.flatMap((b) => [b.start, b.end ?? b.start])];
  const end = execution.endedAt ?? Math.max(now, ...times);
  return { start: Math.min(...times), end: Math.max(end, ...times), rows: ordered, bands };
}

/** Depth-first, each operation after its parent, siblings in first-write order. */
function nest(rows: TimelineRow[]): TimelineRow[] {
  const children = new Map<string | undefined, TimelineRow[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const row of rows) {
    const parent = row.parentId !== undefined && ids.has(row.parentId) ? row.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: TimelineRow[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      out.push({ ...row, depth });
      visit(row.id, depth + 1);
    }
  };
  visit(undefined, 0);
  return out;
}

function segmentsOf(type: string, history: readonly TimelineUpdate[], start: number, end: number | undefined): TimelineSegment[] {
  if (SUSPENDING.has(type)) return [{ kind: "suspended", start, end }];
  if (type !== "STEP") return [{ kind: "run", start, end }];
  // A step: each STARTED opens an attempt; PENDING closes it with a retry scheduled, READY ends the delay.
  const segments: TimelineSegment[] = [];
  let open: TimelineSegment | undefined;
  let attempt = 0;
  for (const { at, record } of history) {
    const details = record.StepDetails;
    if (record.Status === "STARTED") {
      if (open?.kind === "retry-delay") open.end = at;
      if (open?.kind !== "run") {
        attempt += 1;
        open = { kind: "run", start: at, attempt };
        segments.push(open);
      }
    } else if (record.Status === "PENDING") {
      if (open?.kind !== "run") segments.push((open = { kind: "run", start: at, attempt: (attempt += 1) }));
      open.end = at;
      open.outcome = details?.Error ? `failed: ${details.Error.ErrorMessage ?? details.Error.ErrorType ?? "error"}` : "polled";
      open = { kind: "retry-delay", start: at, end: timeOf(details?.NextAttemptTimestamp) };
      segments.push(open);
    } else if (record.Status === "READY") {
      // The delay ended when the retry came due, not when the next attempt began.
      if (open?.kind === "retry-delay") {
        open.end = at;
        open = undefined;
      }
    } else {
      // An outcome: closes the attempt (one written without a STARTED, e.g. a replayed record, is its own attempt).
      if (open?.kind !== "run") {
        const begun = attempt === 0 ? (timeOf(record.StartTimestamp) ?? at) : (open?.end ?? at);
        segments.push((open = { kind: "run", start: begun, attempt: (attempt += 1) }));
      }
      open.end = timeOf(record.EndTimestamp) ?? at;
      open.outcome = record.Status;
      open = undefined;
    }
  }
  if (segments.length === 0) segments.push({ kind: "run", start, end });
  return segments;
}

function timeOf(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? time : undefined;
}
