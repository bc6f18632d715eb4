import { api, type ExecutionList } from "./api.js";
import { h, render } from "./dom.js";
import { durationOf, formatTime } from "./format.js";
import type { Page } from "./main.js";

// The executions, newest first, one page at a time over the server's cursor: filters live in
// the URL (#/?status=FAILED&text=order), "Older" follows the cursor, "Newer" goes back.

const FILTERS = ["status", "function", "text", "from", "to"] as const;
/** An execution's statuses as Lambda names them (the server's LAMBDA_EXECUTION_STATUSES; the page talks to it over HTTP only). */
const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

export function listPage(root: HTMLElement, query: URLSearchParams): Page {
  /** The cursor of each page after the first that the user went to ("Newer" pops one). */
  const cursors: string[] = [];
  const status = h("p", { class: "status-line", role: "status", "aria-live": "polite" });
  const table = h("div", { class: "table-wrap" });
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  // Suggestions for the function filter: the functions the pages shown so far hold.
  const functionsSeen = h("datalist", { id: "functions-seen" });
  const seen = new Set<string>();

  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter executions", onsubmit: (event: Event) => (event.preventDefault(), applyFilters()) },
    field("Status", h("select", { id: "f-status", name: "status" }, ...["", ...STATUSES].map((s) => h("option", { value: s, selected: query.get("status") === s }, s === "" ? "any" : s.toLowerCase().replace("_", " "))))),
    field("Function", h("input", { id: "f-function", name: "function", type: "text", value: query.get("function") ?? "", placeholder: "file.ts#export", list: "functions-seen" })),
    functionsSeen,
    field("Search", h("input", { id: "f-text", name: "text", type: "search", value: query.get("text") ?? "", placeholder: "id or function contains" })),
    field("Started from", h("input", { id: "f-from", name: "from", type: "datetime-local", value: query.get("from") ?? "" })),
    field("Started before", h("input", { id: "f-to", name: "to", type: "datetime-local", value: query.get("to") ?? "" })),
    h("div", { class: "filter-buttons" }, h("button", { type: "submit" }, "Apply"), h("button", { type: "button", onclick: () => (location.hash = "#/") }, "Clear")),
  );

  function applyFilters(): void {
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim();
      if (value) next.set(name, value);
    }
    location.hash = `#/?${next}`;
  }

  render(root, h("h1", {}, "Executions"), form, status, table, pager);

  async function load(): Promise<void> {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = query.get(name);
      // datetime-local values are local times; the server takes absolute ones.
      if (value) params.set(name, name === "from" || name === "to" ? String(new Date(value).getTime()) : value);
    }
    // The page size can be set in the URL (#/?limit=20); the server's default is 50.
    if (query.get("limit")) params.set("limit", query.get("limit")!);
    const after = cursors[cursors.length - 1];
    if (after) params.set("after", after);
    let list: ExecutionList;
    try {
      list = await api.list(params);
    } catch (error) {
      render(status, h("span", { class: "error", role: "alert" }, (error as Error).message));
      return;
    }
    draw(list);
  }

  function draw(list: ExecutionList): void {
    for (const e of list.executions) if (!seen.has(e.function)) (seen.add(e.function), functionsSeen.append(h("option", { value: e.function })));
    const first = cursors.length === 0;
    render(status, list.executions.length === 0 ? (first ? "No executions match." : "No older executions.") : `Showing ${list.executions.length} execution${list.executions.length === 1 ? "" : "s"}${first ? ", newest first" : ""}. Updates live.`);
    const now = Date.now();
    render(
      table,
      h(
        "table",
        { class: "executions" },
        h("caption", { class: "visually-hidden" }, "Executions"),
        h("thead", {}, h("tr", {}, ...["Status", "Execution", "Function", "Started", "Duration", "Invocations"].map((title) => h("th", { scope: "col" }, title)))),
        h(
          "tbody",
          {},
          ...list.executions.map((e) =>
            h(
              "tr",
              { "data-execution": e.executionId },
              h("td", {}, h("span", { class: `badge ${e.status.toLowerCase()}` }, e.status)),
              h("td", { class: "id" }, h("a", { href: `#/executions/${encodeURIComponent(e.executionId)}` }, e.executionId)),
              h("td", { class: "fn" }, e.function),
              h("td", {}, formatTime(e.createdAt)),
              h("td", {}, durationOf(e.createdAt, e.endedAt, now)),
              h("td", { class: "num" }, e.invocations),
            ),
          ),
        ),
      ),
    );
    render(
      pager,
      h("button", { type: "button", disabled: first, onclick: () => (cursors.pop(), void load()) }, "‹ Newer"),
      h("button", { type: "button", disabled: list.next === null, onclick: () => (cursors.push(list.next!), void load()) }, "Older ›"),
    );
  }

  void load();
  return { refresh: load };
}

function field(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}
