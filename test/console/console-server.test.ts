import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type ConsoleFixture } from "./console-fixture.js";

// The console's HTTP surface over real sockets: who is refused (no token, a foreign Origin, a
// DNS-rebinding Host), the headers every answer carries, and the API's answers on a real store.

let fx: ConsoleFixture;

beforeAll(async () => {
  fx = await startFixture({ assets: true });
  for (let n = 0; n < 7; n++) await fx.engine.start("quick", { n }, { executionId: `quick-${n}` });
  await fx.engine.start("approval", { id: "a-1", note: "<img src=x onerror=alert(1)>" }, { executionId: "approval-1" });
  await fx.engine.start("approval", { id: "big", note: "x".repeat(10_000) }, { executionId: "big-input" });
  for (let n = 0; n < 7; n++) await fx.engine.waitForExecution(`quick-${n}`, { timeoutMs: 10_000 });
});
afterAll(() => fx?.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: fx.server.port, path, method: options.method ?? "GET", headers: { host: `127.0.0.1:${fx.server.port}`, ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const withToken = (extra: Record<string, string> = {}) => ({ "x-replayable-token": fx.server.token, ...extra });
const json = (answer: Answer) => JSON.parse(answer.body) as Record<string, unknown>;

describe("console security", () => {
  it("listens on loopback and prints a URL with a 128-bit token", () => {
    expect(fx.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{22}$/);
  });

  it("refuses every request without the token, or with a wrong one: the page, its assets, the API, the event stream", async () => {
    for (const path of ["/", "/app.js", "/api/executions", "/api/executions/approval-1", "/api/events"]) {
      const answer = await call(path);
      expect(answer.status, path).toBe(401);
      expect(answer.body).toContain("console token");
      expect(answer.body).not.toContain("approval-1\",\"functionName");
    }
    expect((await call("/api/executions", { headers: { "x-replayable-token": "A".repeat(22) } })).status).toBe(401);
    expect((await call(`/api/executions?token=${fx.server.token}x`)).status).toBe(401);
  });

  it("refuses a request from a page on another origin even when it carries the token", async () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1:" + fx.server.port, "null"]) {
      const answer = await call("/api/executions", { headers: withToken({ origin }) });
      expect(answer.status, origin).toBe(403);
    }
    const completion = await call("/api/callbacks/abc/succeed", { method: "POST", headers: withToken({ origin: "http://evil.example", "content-type": "application/json" }), body: '{"result":"1"}' });
    expect(completion.status).toBe(403);
  });

  it("refuses a DNS-rebinding Host header (a foreign name resolving to 127.0.0.1)", async () => {
    for (const host of [`evil.example:${fx.server.port}`, `127.0.0.1.evil.example:${fx.server.port}`, "127.0.0.1:1", "localhost"]) {
      const answer = await call("/api/executions", { headers: withToken({ host }) });
      expect(answer.status, host).toBe(421);
      expect(answer.body).toContain("not this console's address");
    }
    expect((await call("/api/executions", { headers: withToken({ host: `localhost:${fx.server.port}` }) })).status).toBe(200);
  });

  it("refuses cross-site requests marked by fetch metadata, and actions that are not JSON (no form posts)", async () => {
    expect((await call("/", { headers: { cookie: `replayable_console_${fx.server.port}=${fx.server.token}`, "sec-fetch-site": "cross-site" } })).status).toBe(403);
    const form = await call("/api/callbacks/abc/succeed", { method: "POST", headers: withToken({ "content-type": "application/x-www-form-urlencoded" }), body: "result=1" });
    expect(form.status).toBe(415);
  });

  it("serves the page with a CSP without inline scripts, and sets the token cookie for its assets", async () => {
    const page = await call(`/?token=${fx.server.token}`);
    expect(page.status).toBe(200);
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const cookie = String(page.headers["set-cookie"]);
    expect(cookie).toContain(`replayable_console_${fx.server.port}=${fx.server.token}`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const asset = await call("/app.js", { headers: { cookie: `replayable_console_${fx.server.port}=${fx.server.token}` } });
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toContain("text/javascript");
    // The cookie opens the page's files only; the API wants the token itself.
    expect((await call("/api/executions", { headers: { cookie: `replayable_console_${fx.server.port}=${fx.server.token}` } })).status).toBe(401);
  });

  it("returns an HTML payload as JSON data, never as markup", async () => {
    const answer = await call("/api/executions/approval-1", { headers: withToken() });
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    const detail = json(answer) as { execution: { payloads: Array<{ label: string; text: string }> } };
    expect(JSON.parse(detail.execution.payloads.find((p) => p.label === "Input")!.text)).toEqual({ id: "a-1", note: "<img src=x onerror=alert(1)>" });
  });
});

describe("console API", () => {
  it("pages newest first over a cursor, with filters, never loading more than a page", async () => {
    // The whole order, from the store: newest first, ties (the same millisecond) by id.
    const all = (await fx.engine.listExecutions({ functionName: "quick" })).map((e) => e.executionId);
    expect(all).toHaveLength(7);
    const pages: string[][] = [];
    let after = "";
    for (let i = 0; i < 5; i++) {
      const page = json(await call(`/api/executions?limit=3&function=quick${after}`, { headers: withToken() })) as { executions: Array<{ executionId: string }>; next: string | null };
      pages.push(page.executions.map((e) => e.executionId));
      if (page.next === null) break;
      after = `&after=${page.next}`;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all);
    // A row added after the first page was read does not shift the later pages.
    const first = json(await call("/api/executions?limit=3&function=quick", { headers: withToken() })) as { next: string };
    await fx.engine.start("quick", { n: 99 }, { executionId: "quick-late" });
    await fx.engine.waitForExecution("quick-late", { timeoutMs: 10_000 });
    const second = json(await call(`/api/executions?limit=3&function=quick&after=${first.next}`, { headers: withToken() })) as { executions: Array<{ executionId: string }> };
    expect(second.executions.map((e) => e.executionId)).toEqual(all.slice(3, 6));
    type Page = { executions: Array<{ executionId: string }> };
    const running = json(await call("/api/executions?status=running", { headers: withToken() })) as Page;
    expect(running.executions.map((e) => e.executionId)).toEqual(["big-input", "approval-1"]);
    const text = json(await call("/api/executions?text=APPROVAL-1", { headers: withToken() })) as Page;
    expect(text.executions.map((e) => e.executionId)).toEqual(["approval-1"]);
    const future = json(await call(`/api/executions?from=${Date.now() + 60_000}`, { headers: withToken() })) as Page;
    expect(future.executions).toEqual([]);
  });

  it("cuts a large payload short in the execution page and gives the whole of it on request", async () => {
    const detail = json(await call("/api/executions/big-input", { headers: withToken() })) as { execution: { payloads: Array<{ label: string; text: string; size: number; truncated: boolean }> } };
    const input = detail.execution.payloads.find((p) => p.label === "Input")!;
    const whole = JSON.stringify({ id: "big", note: "x".repeat(10_000) });
    expect(input).toMatchObject({ truncated: true, size: whole.length });
    expect(input.text).toBe(whole.slice(0, 4_000));
    const full = json(await call("/api/executions/big-input/payload?label=Input", { headers: withToken() }));
    expect(full).toMatchObject({ text: whole, truncated: false, size: whole.length });
    expect((await call("/api/executions/big-input/payload?label=Nope", { headers: withToken() })).status).toBe(404);
  });

  it("answers bad filters with what is allowed", async () => {
    const status = await call("/api/executions?status=DONE", { headers: withToken() });
    expect(status.status).toBe(400);
    expect(json(status).error).toContain("status must be one of RUNNING, SUCCEEDED, FAILED");
    expect(json(await call("/api/executions?after=garbage", { headers: withToken() })).error).toContain("not a cursor");
    expect((await call("/api/executions/nope", { headers: withToken() })).status).toBe(404);
  });

  it("refuses a callback completion as `replayable callback` does: unknown id, JSON that does not parse", async () => {
    const post = (path: string, body: unknown) => call(path, { method: "POST", headers: withToken({ "content-type": "application/json" }), body: JSON.stringify(body) });
    const unknown = await post("/api/callbacks/NoSuchCallback/succeed", { result: "{}" });
    expect(unknown.status).toBe(404);
    expect(json(unknown).error).toContain("No callback with id");
    const badId = await post("/api/callbacks/has%20space/heartbeat", {});
    expect(badId.status).toBe(400);
    expect(json(badId).error).toContain("Invalid callback id");
    const notJson = await post("/api/callbacks/NoSuchCallback/succeed", { result: "{approved: yes}" });
    expect(notJson.status).toBe(400);
    expect(json(notJson).error).toContain("must be JSON");
  });
  it("stops a running execution as serve's StopDurableExecution does, and refuses to stop it twice", async () => {
    const post = (path: string, body: unknown) => call(path, { method: "POST", headers: withToken({ "content-type": "application/json" }), body: JSON.stringify(body) });
    await fx.engine.start("approval", { id: "to-stop" }, { executionId: "to-stop" });
    // Stopped once its invocation has suspended on the callback and ended: the commit that ends it
    // releases its claim (while it runs, the execution is another engine's, and stop answers 409).
    const deadline = Date.now() + 10_000;
    const suspended = (detail: Record<string, unknown>) =>
      (detail.operations as { waitingForCallback?: boolean }[]).some((op) => op.waitingForCallback) &&
      (detail.timeline as { bands: { end?: number }[] }).bands.every((band) => band.end !== undefined);
    let detail = json(await call("/api/executions/to-stop", { headers: withToken() }));
    while (!suspended(detail) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      detail = json(await call("/api/executions/to-stop", { headers: withToken() }));
    }
    const stopped = await post("/api/executions/to-stop/stop", { message: "customer cancelled" });
    expect(stopped.status).toBe(200);
    expect(json(stopped).message).toContain("stopped");
    const after = json(await call("/api/executions/to-stop", { headers: withToken() })).execution as { status: string; error?: { type?: string; message?: string } };
    expect(after.status).toBe("STOPPED");
    expect(after.error).toMatchObject({ type: "ExecutionStopped", message: "customer cancelled" });
    const history = json(await call("/api/executions/to-stop/history", { headers: withToken() })) as unknown as { events?: { EventType: string }[] } | { EventType: string }[];
    const events = Array.isArray(history) ? history : (history.events ?? []);
    expect(events.at(-1)?.EventType).toBe("ExecutionStopped");
    const again = await post("/api/executions/to-stop/stop", {});
    expect(again.status).toBe(409);
    expect(json(again).error).toContain("has already ended (STOPPED)");
    expect((await post("/api/executions/nope/stop", {})).status).toBe(404);
  });
});
