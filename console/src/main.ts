import { api, consoleToken } from "./api.js";
import { h, render } from "./dom.js";
import { executionPage } from "./execution-page.js";
import { listPage } from "./list-page.js";

// The console's page: a hash router (#/ the list, #/executions/<id> one execution; the query
// string keeps the token) and one server-sent event stream that tells the shown page to re-read.

export interface Page {
  refresh(): Promise<void>;
}

const main = document.getElementById("main")!;
const liveState = document.getElementById("live")!;
let page: Page | undefined;

function route(): void {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search] = hash.split("?") as [string, string | undefined];
  const query = new URLSearchParams(search ?? "");
  const execution = /^\/executions\/(.+)$/.exec(path);
  page = execution ? executionPage(main, decodeURIComponent(execution[1]!)) : listPage(main, query);
  main.focus({ preventScroll: true });
}

function connect(): void {
  const events = api.events();
  let pending: number | undefined;
  events.addEventListener("open", () => render(liveState, "live"));
  events.addEventListener("error", () => render(liveState, "reconnecting…"));
  // Several commits in a burst make one re-read.
  events.addEventListener("change", () => {
    if (pending !== undefined) return;
    pending = window.setTimeout(() => {
      pending = undefined;
      void page?.refresh();
    }, 150);
  });
}

if (!consoleToken()) {
  render(main, h("p", { class: "error", role: "alert" }, "This page needs the console's token: open the URL `replayable console` printed (it ends in ?token=…)."));
} else {
  window.addEventListener("hashchange", route);
  route();
  connect();
}
