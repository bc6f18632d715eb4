import { api, type ExecutionDetail, type OperationView, type Payload } from "./api.js";
import { h, render, type Child } from "./dom.js";
import { durationOf, formatTime, operationLabel, prettyJson } from "./format.js";
import type { Page } from "./main.js";
import { timelineView } from "./timeline-view.js";

// One execution: its summary, the divergence when a replay diverged, the callbacks it waits
// for (with the actions), the timeline, the selected operation's details, its payloads, and
// the history in AWS's event vocabulary. Live updates re-read it; what the user is typing in
// an action form is kept.

export function executionPage(root: HTMLElement, executionId: string): Page {
  let detail: ExecutionDetail | undefined;
  let selected: string | undefined;
  let waitingKey = "";
  const summary = h("section", { "aria-label": "Summary" });
  const divergence = h("div");
  const actions = h("div");
  const stopArea = h("div");
  let drawnStatus = "";
  // The answer to an action, outside the forms: a callback completed ends its form, not the message.
  const actionStatus = h("p", { id: "action-status", class: "action-result", role: "status", "aria-live": "polite" });
  const timeline = h("section", { "aria-labelledby": "timeline-title" });
  const operation = h("section", { id: "operation-detail", "aria-live": "polite", "aria-label": "Selected operation" });
  const payloads = h("section", { "aria-labelledby": "payloads-title" });
  const historyBody = h("div");
  const history = h(
    "details",
    { class: "history", ontoggle: () => (history.open ? void loadHistory() : undefined) },
    h("summary", {}, h("h2", { class: "inline" }, "History (AWS events)")),
    historyBody,
  ) as HTMLDetailsElement;

  render(root, h("p", {}, h("a", { href: "#/" }, "‹ All executions")), h("h1", { class: "execution-id" }, executionId), summary, divergence, actions, stopArea, actionStatus, timeline, operation, payloads, history);

  async function load(): Promise<void> {
    try {
      detail = await api.detail(executionId);
    } catch (error) {
      render(summary, h("p", { class: "error", role: "alert" }, (error as Error).message));
      return;
    }
    draw(detail);
    if (history.open) await loadHistory();
  }

  function draw(d: ExecutionDetail): void {
    const e = d.execution;
    render(
      summary,
      h(
        "dl",
        { class: "facts" },
        fact("Status", h("span", { class: `badge ${e.status.toLowerCase()}`, id: "execution-status" }, e.status)),
        fact("Function", e.function),
        fact("Started", formatTime(e.createdAt)),
        fact("Duration", durationOf(e.createdAt, e.endedAt)),
        fact("Invocations", String(e.invocations)),
        e.status === "RUNNING" ? fact("Next", e.nextWakeAt === undefined ? "waits for a callback or an invoke" : e.nextWakeAt <= Date.now() ? "due now: a worker picks it up" : `due ${formatTime(e.nextWakeAt)}`) : null,
        e.error ? fact("Error", `${e.error.encrypted ? "(encrypted)" : `${e.error.type ?? "Error"}: ${e.error.message ?? ""}`}`) : null,
      ),
      !d.encrypted ? null : h("p", { class: "note" }, "This store's payloads are encrypted and the console has no key: start it with --key-file to read them."),
    );
    render(divergence, d.divergence ? divergenceView(d) : null);
    const waiting = d.operations.filter((op) => op.waitingForCallback && op.callbackId);
    const key = waiting.map((op) => op.callbackId).join(",");
    // Re-drawn only when the set of waiting callbacks changes: a live update keeps what is being typed.
    if (key !== waitingKey) {
      waitingKey = key;
      const nameOf = (op: OperationView) => operationLabel(d.operations.find((o) => o.id === op.parentId && o.name !== undefined) ?? op);
      render(actions, waiting.length ? callbackActions(waiting, nameOf, (...message) => render(actionStatus, ...message)) : null);
    }
    // Drawn again only when the status changes, so a live update keeps a reason being typed.
    if (e.status !== drawnStatus) {
      drawnStatus = e.status;
      render(stopArea, e.status === "RUNNING" ? stopForm(executionId, (...message) => render(actionStatus, ...message)) : null);
    }
    // A live update must not take the keyboard focus away from the timeline row it is on.
    const focused = document.activeElement?.getAttribute("data-operation");
    render(timeline, h("h2", { id: "timeline-title" }, "Timeline"), legend(), timelineView(d.timeline, selected, select));
    if (focused) timeline.querySelector<HTMLElement>(`[data-operation="${CSS.escape(focused)}"]`)?.focus();
    // Payloads are re-drawn only when they change, so a payload loaded in full stays so.
    whenChanged("payloads", e.payloads, () => render(payloads, h("h2", { id: "payloads-title" }, "Execution payloads"), ...e.payloads.map((p) => payloadView(p, undefined))));
    whenChanged("operation", d.operations.find((o) => o.id === selected) ?? null, drawOperation);
  }

  const drawnFrom = new Map<string, string>();
  function whenChanged(part: string, data: unknown, draw: () => void): void {
    const json = JSON.stringify(data);
    if (drawnFrom.get(part) === json) return;
    drawnFrom.set(part, json);
    draw();
  }

  function select(id: string): void {
    selected = id;
    if (!detail) return;
    draw(detail);
    (operation.querySelector("h2") as HTMLElement | null)?.focus();
  }

  function drawOperation(): void {
    const op = detail?.operations.find((o) => o.id === selected);
    if (!op) return render(operation, h("p", { class: "hint" }, "Select an operation in the timeline to see its payloads, attempts and timing."));
    render(
      operation,
      h("h2", { tabindex: "-1" }, operationLabel(op)),
      h(
        "dl",
        { class: "facts" },
        fact("Id", op.id),
        fact("Type", op.subType ? `${op.type} (${op.subType})` : op.type),
        fact("Status", h("span", { class: `badge ${op.status.toLowerCase()}` }, op.status)),
        fact("Started", formatTime(op.start)),
        fact(op.end === undefined ? "Running for" : "Took", durationOf(op.start, op.end)),
        op.sourcePosition ? fact("Source", op.sourcePosition) : null,
        op.callbackId ? fact("Callback id", h("code", {}, op.callbackId)) : null,
        op.scheduledEnd ? fact("Wait ends", formatTime(op.scheduledEnd)) : null,
        op.nextAttemptAt ? fact("Next attempt", formatTime(op.nextAttemptAt)) : null,
      ),
      op.attempts.length
        ? h(
            "table",
            { class: "attempts" },
            h("caption", {}, "Attempts"),
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Attempt"), h("th", { scope: "col" }, "Started"), h("th", { scope: "col" }, "Took"), h("th", { scope: "col" }, "Outcome"))),
            h("tbody", {}, ...op.attempts.map((a) => h("tr", {}, h("td", {}, String(a.attempt)), h("td", {}, formatTime(a.start)), h("td", {}, durationOf(a.start, a.end)), h("td", {}, a.outcome ?? "running")))),
          )
        : null,
      ...op.payloads.map((p) => payloadView(p, op.id)),
    );
  }

  function payloadView(payload: Payload, operationId: string | undefined): HTMLElement {
    if (payload.encrypted) {
      return h("figure", { class: "payload" }, h("figcaption", {}, payload.label), h("p", { class: "note" }, "Encrypted in the store: start the console with --key-file to read it."));
    }
    const pre = h("pre", { tabindex: "0" }, payload.truncated ? (payload.text ?? "") : prettyJson(payload.text ?? ""));
    const more = payload.truncated
      ? h(
          "button",
          {
            type: "button",
            onclick: async () => {
              const full = await api.payload(executionId, operationId, payload.label);
              render(pre, prettyJson(full.text ?? ""));
              more?.remove();
            },
          },
          `Load all ${payload.size.toLocaleString("en")} characters`,
        )
      : null;
    return h("figure", { class: "payload" }, h("figcaption", {}, `${payload.label}${payload.truncated ? ` (first ${payload.text?.length.toLocaleString("en")} of ${payload.size.toLocaleString("en")} characters)` : ""}`), pre, more);
  }

  async function loadHistory(): Promise<void> {
    try {
      const { events } = await api.history(executionId);
      render(
        historyBody,
        h("p", {}, h("a", { href: api.historyDownloadUrl(executionId), download: `${executionId}-history.json` }, "Export as JSON"), ` · ${events.length} events`),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "events" },
            h("thead", {}, h("tr", {}, ...["#", "Event", "Operation", "Time"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              ...events.map((event) =>
                h("tr", {}, h("td", { class: "num" }, String(event.EventId)), h("td", {}, event.EventType), h("td", {}, event.Name ?? event.Id ?? ""), h("td", {}, formatTime(new Date(event.EventTimestamp).getTime()))),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      render(historyBody, h("p", { class: "error", role: "alert" }, (error as Error).message));
    }
  }

  void load();
  return { refresh: load };
}

function fact(term: string, value: Node | string): HTMLElement[] {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function legend(): HTMLElement {
  return h(
    "p",
    { class: "legend" },
    h("span", { class: "key run" }),
    " ran ",
    h("span", { class: "key failed" }),
    " failed attempt ",
    h("span", { class: "key retry-delay" }),
    " waiting to retry ",
    h("span", { class: "key suspended" }),
    " suspended (wait, callback, invoke) ",
    h("span", { class: "key band-key" }),
    " invocation · ↻ replayed",
  );
}

function divergenceView(d: ExecutionDetail): HTMLElement {
  const div = d.divergence!;
  const side = (title: string, op: { kind: string; name?: string | undefined; id: string; sourcePosition?: string | undefined; status?: string | undefined } | undefined) =>
    h(
      "div",
      { class: "side" },
      h("h3", {}, title),
      op
        ? h("dl", { class: "facts" }, fact("Operation", `${op.kind}${op.name !== undefined ? ` "${op.name}"` : ""}`), fact("Id", op.id), fact("Source", op.sourcePosition ?? "unknown (no step ID from the transformer)"), op.status ? fact("Status", op.status) : null)
        : h("p", {}, "The message names no recorded operation."),
    );
  return h(
    "section",
    { class: "divergence", "aria-labelledby": "divergence-title" },
    h("h2", { id: "divergence-title" }, "Replay diverged from the recorded run"),
    h("div", { class: "sides" }, side("Recorded", div.recorded), side("Replayed", div.replayed)),
    h("p", { class: "message" }, div.message),
  );
}

/** A waitForCallback's callback is shown by the name of its waitForCallback. */
type Report = (...message: Child[]) => void;

function callbackActions(waiting: OperationView[], nameOf: (op: OperationView) => string, report: Report): HTMLElement {
  return h("section", { class: "actions", "aria-labelledby": "actions-title" }, h("h2", { id: "actions-title" }, "Waiting for a callback"), ...waiting.map((op, i) => callbackForm(op, i, nameOf(op), report)));
}

function callbackForm(op: OperationView, index: number, name: string, report: Report): HTMLElement {
  const callbackId = op.callbackId!;
  const hint = h("p", { class: "hint", id: `cb-hint-${index}`, "aria-live": "polite" });
  const payload = h("textarea", { id: `cb-result-${index}`, rows: 4, spellcheck: "false", "aria-describedby": hint.id }, "{}") as HTMLTextAreaElement;
  // Says while typing whether the text is JSON yet; the server checks it again on sending.
  payload.addEventListener("input", () => {
    let problem = "";
    try {
      JSON.parse(payload.value);
    } catch (error) {
      problem = `Not JSON yet: ${(error as Error).message}`;
    }
    payload.setAttribute("aria-invalid", problem ? "true" : "false");
    render(hint, problem);
  });
  const failure = h("input", { id: `cb-fail-${index}`, type: "text", placeholder: "why it failed" }) as HTMLInputElement;
  const run = async (action: "succeed" | "fail" | "heartbeat", body: object) => {
    report("Sending…");
    try {
      const answer = await api.callback(callbackId, action, body);
      report(h("span", { class: "ok" }, answer.message));
    } catch (error) {
      report(h("span", { class: "error", role: "alert" }, (error as Error).message));
    }
  };
  return h(
    "form",
    { class: "callback", "data-callback": callbackId, onsubmit: (event: Event) => (event.preventDefault(), void run("succeed", { result: payload.value })) },
    h("h3", {}, name),
    h("p", {}, "Callback id ", h("code", {}, callbackId)),
    h("label", { for: payload.id }, "Result (JSON)"),
    payload,
    hint,
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Complete with this result")),
    h("label", { for: failure.id }, "Failure message"),
    failure,
    h(
      "div",
      { class: "buttons" },
      h("button", { type: "button", onclick: () => void run("fail", { message: failure.value }) }, "Fail the callback"),
      h("button", { type: "button", onclick: () => void run("heartbeat", {}) }, "Send heartbeat"),
    ),
  );
}

function stopForm(executionId: string, report: Report): HTMLElement {
  const reason = h("input", { id: "stop-reason", type: "text", placeholder: "why it is stopped (optional)" }) as HTMLInputElement;
  const stop = async () => {
    report("Stopping…");
    try {
      const answer = await api.stop(executionId, reason.value ? { message: reason.value } : {});
      report(h("span", { class: "ok" }, answer.message));
    } catch (error) {
      report(h("span", { class: "error", role: "alert" }, (error as Error).message));
    }
  };
  return h(
    "form",
    { class: "stop", "aria-labelledby": "stop-title", onsubmit: (event: Event) => (event.preventDefault(), void stop()) },
    h("h2", { id: "stop-title" }, "Stop this execution"),
    h("label", { for: reason.id }, "Reason"),
    reason,
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Stop execution")),
  );
}
