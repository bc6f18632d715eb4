import type { ServerResponse } from "node:http";

// Live updates for the open pages, as server-sent events. The engine that changes executions
// runs in other processes (`replayable run`, `resume`), so the server polls one cheap counter
// (SQLite's data_version, which moves when another connection commits) while pages are open,
// and tells every page "something changed"; each page then re-reads only what it shows. One
// timer for all pages, none when no page is open: no polling storm.

export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private lastVersion: number | undefined;
  private sinceKeepAlive = 0;

  constructor(
    private readonly changeVersion: () => number,
    private readonly intervalMs = 250,
  ) {}

  add(response: ServerResponse): void {
    response.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
    response.write("retry: 1000\n\n");
    this.clients.add(response);
    response.on("close", () => {
      this.clients.delete(response);
      if (this.clients.size === 0) this.stop();
    });
    if (!this.timer) {
      this.lastVersion = this.changeVersion();
      this.timer = setInterval(() => this.poll(), this.intervalMs);
    }
  }

  /** A change this process made itself (data_version counts only other connections' commits). */
  notify(): void {
    for (const client of this.clients) client.write("event: change\ndata: {}\n\n");
  }

  close(): void {
    this.stop();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private poll(): void {
    let version: number;
    try {
      version = this.changeVersion();
    } catch {
      return; // the store is closing; the next poll or close() settles it
    }
    if (version !== this.lastVersion) {
      this.lastVersion = version;
      this.notify();
    } else if ((this.sinceKeepAlive += this.intervalMs) >= 15_000) {
      // A comment line keeps proxies and idle timeouts from closing the stream.
      this.sinceKeepAlive = 0;
      for (const client of this.clients) client.write(": keep-alive\n\n");
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
