import type { TimelineData } from "./api.js";
import { h } from "./dom.js";
import { durationOf, formatDuration, formatTime } from "./format.js";

// The Gantt chart: one row per operation (indented under its context, map or parallel), its
// segments on a shared time axis, and each invocation as a shaded band behind them. Each row's
// label is a button: Enter or a click opens the operation's details.

type Row = TimelineData["rows"][number];

export function timelineView(timeline: TimelineData, selected: string | undefined, onSelect: (id: string) => void): HTMLElement {
  const span = Math.max(1, timeline.end - timeline.start);
  const at = (time: number) => `${(((time - timeline.start) / span) * 100).toFixed(3)}%`;
  const width = (start: number, end: number | undefined) => `${Math.max(0.4, (((end ?? timeline.end) - start) / span) * 100).toFixed(3)}%`;

  const bands = h(
    "div",
    { class: "bands", "aria-hidden": "true" },
    ...timeline.bands.map((band) =>
      h(
        "div",
        { class: `band ${band.warm ? "warm" : band.invocation > 1 ? "replay" : ""}`, style: { left: at(band.start), width: width(band.start, band.end) } },
        h("span", { class: "band-label" }, `inv ${band.invocation}`),
      ),
    ),
  );
  const axis = h(
    "div",
    { class: "gantt-row axis", "aria-hidden": "true" },
    h("div", { class: "op-label" }, "operation"),
    h("div", { class: "track" }, ...[0, 0.25, 0.5, 0.75, 1].map((f) => h("span", { class: "tick", style: { left: `${f * 100}%` } }, `+${formatDuration(f * span)}`))),
  );
  const rows = timeline.rows.map((row) => rowView(row, row.id === selected, at, width, timeline.bands, onSelect));
  return h(
    "div",
    { class: "gantt" },
    h(
      "ul",
      { class: "band-list", "aria-label": "Invocations" },
      ...timeline.bands.map((b) =>
        h("li", {}, `Invocation ${b.invocation}: ${formatTime(b.start)}, ${durationOf(b.start, b.end)}${b.warm ? ", continued in memory" : b.invocation > 1 ? ", replayed from the first line" : ""}${b.outcome ? `, ${b.outcome.toLowerCase()}` : ""}`),
      ),
    ),
    h("div", { class: "gantt-body" }, h("div", { class: "bands-area" }, bands), axis, h("ol", { class: "gantt-rows", "aria-label": "Operations" }, ...rows)),
  );
}

function rowView(
  row: Row,
  isSelected: boolean,
  at: (time: number) => string,
  width: (start: number, end: number | undefined) => string,
  bands: TimelineData["bands"],
  onSelect: (id: string) => void,
): HTMLElement {
  const kind = (row.subType ?? row.type).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const replayed = row.replayedIn.length ? `replayed in invocation ${row.replayedIn.join(", ")}` : "";
  const label = h(
    "button",
    {
      type: "button",
      class: "op-label",
      "aria-pressed": isSelected ? "true" : "false",
      "data-operation": row.id,
      style: { paddingLeft: `${0.5 + row.depth * 1.1}rem` },
      onclick: () => onSelect(row.id),
    },
    h("span", { class: "op-name" }, row.name ?? row.id),
    h("span", { class: "op-kind" }, ` ${kind}`),
    h("span", { class: `badge small ${row.status.toLowerCase()}` }, row.status),
    replayed ? h("span", { class: "replayed", title: replayed }, ` ↻${row.replayedIn.length}`, h("span", { class: "visually-hidden" }, `, ${replayed}`)) : null,
  );
  const segments = row.segments.map((segment) => {
    const what =
      segment.kind === "suspended"
        ? "suspended"
        : segment.kind === "retry-delay"
          ? "waiting to retry"
          : segment.attempt !== undefined
            ? `attempt ${segment.attempt}${segment.outcome ? ` (${segment.outcome})` : ""}`
            : "ran";
    return h("div", {
      class: `seg ${segment.kind}${failed(segment, row) ? " failed" : ""}`,
      style: { left: at(segment.start), width: width(segment.start, segment.end) },
      title: `${what}: ${durationOf(segment.start, segment.end)}`,
    });
  });
  const marks = row.replayedIn.map((invocation) => {
    const band = bands.find((b) => b.invocation === invocation);
    return band ? h("span", { class: "replay-mark", style: { left: at(band.start) }, title: `replayed in invocation ${invocation}` }, "↻") : null;
  });
  return h("li", { class: `gantt-row${isSelected ? " selected" : ""}` }, label, h("div", { class: "track" }, ...segments, ...marks));
}

/** A failed attempt, or the run of a context or execution that failed. */
function failed(segment: Row["segments"][number], row: Row): boolean {
  if (segment.kind !== "run") return false;
  if (segment.attempt !== undefined) return segment.outcome?.startsWith("failed") === true || segment.outcome === "FAILED";
  return row.status === "FAILED" || row.status === "TIMED_OUT";
}
