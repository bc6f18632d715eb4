import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createEngine } from "../engine/engine.js";
import type { EngineStore } from "../engine/store.js";
import { ApiError, callbackAction, executionDetail, stopAction, executionHistory, fullPayload, listExecutions, type CallbackAction, type ConsoleContext } from "./console-api.js";
import { LiveUpdates } from "./console-live.js";
import { checkRequest, newConsoleToken, setSecurityHeaders, tokenCookieName } from "./console-security.js";

// `replayable console`'s HTTP server: the built page (dist/console) and its JSON API, on
// loopback only, every request checked by console-security.

export interface ConsoleServerOptions {
  store: EngineStore;
  /** Moves when another process commits to the store (SqliteStore.dataVersion); drives live updates. */
  changeVersion: () => number;
  /** Default 127.0.0.1; the server refuses to listen on anything but a loopback address. */
  host?: string | undefined;
  /** 0 picks a free port. */
  port?: number | undefined;
  token?: string | undefined;
  describeFunction?: ((functionName: string) => string) | undefined;
  storedFunctionName?: ((shown: string) => string) | undefined;
  /** How an invocation whose worker failed ended (serve's invocationEnd), for the history; without it such an invocation shows Runtime.ExitError, as serve's after a restart. */
  invocationEnd?: ConsoleContext["invocationEnd"];
  /** The built page; defaults to the package's dist/console. */
  assetsDir?: string | undefined;
}

export interface ConsoleServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = {
  "/": "index.html",
  "/index.html": "index.html",
  "/app.js": "app.js",
  "/app.css": "app.css",
};
const CONTENT_TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };
const MAX_BODY_BYTES = 1024 * 1024;

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const host = options.host ?? "127.0.0.1";
  if (!["127.0.0.1", "::1", "localhost"].includes(host)) {
    throw new Error(`The console listens on loopback only (127.0.0.1, ::1 or localhost); got ${host}. To reach it from elsewhere, tunnel to it (ssh -L).`);
  }
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  const token = options.token ?? newConsoleToken();
  const engine = createEngine({ store: options.store, worker: false });
  const ctx: ConsoleContext = {
    store: options.store,
    engine,
    describeFunction: options.describeFunction ?? ((name) => name),
    storedFunctionName: options.storedFunctionName ?? ((shown) => shown),
    clock: Date.now,
    invocationEnd: options.invocationEnd,
  };
  const live = new LiveUpdates(options.changeVersion);
  let port = 0;
  const server: Server = createServer((request, response) => {
    setSecurityHeaders(response);
    handle(request, response).catch((error: unknown) => sendError(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const asset = ASSETS[url.pathname];
    const verdict = checkRequest(request, url, { token, port, acceptCookie: asset !== undefined });
    if (!verdict.ok) throw new ApiError(verdict.status, verdict.reason);
    if (asset !== undefined) {
      if (request.method !== "GET") throw new ApiError(405, "GET only");
      return sendAsset(response, `${assetsDir}${asset}`, url.searchParams.get("token") === token ? tokenCookieName(port) : undefined, token);
    }
    const parts = pathParts(url.pathname);
    if (parts[0] !== "api") throw new ApiError(404, `No page ${url.pathname}`);
    if (request.method === "POST") {
      if (!(request.headers["content-type"] ?? "").startsWith("application/json")) throw new ApiError(415, "Send the action as JSON (Content-Type: application/json).");
      if (parts[1] === "callbacks" && parts.length === 4 && ["succeed", "fail", "heartbeat"].includes(parts[3]!)) {
        const result = await callbackAction(ctx, parts[2]!, parts[3] as CallbackAction, await readJson(request));
        live.notify();
        return sendJson(response, 200, result);
      }
      if (parts[1] === "executions" && parts.length === 4 && parts[3] === "stop") {
        const result = await stopAction(ctx, parts[2]!, await readJson(request));
        live.notify();
        return sendJson(response, 200, result);
      }
      throw new ApiError(404, `No action ${url.pathname}`);
    }
    if (request.method !== "GET") throw new ApiError(405, `${request.method} is not supported here`);
    if (parts[1] === "events" && parts.length === 2) return live.add(response);
    if (parts[1] === "executions") {
      if (parts.length === 2) return sendJson(response, 200, await listExecutions(ctx, url.searchParams));
      const id = parts[2]!;
      if (parts.length === 3) return sendJson(response, 200, await executionDetail(ctx, id));
      if (parts.length === 4 && parts[3] === "history") {
        const history = await executionHistory(ctx, id);
        if (url.searchParams.has("download")) response.setHeader("Content-Disposition", `attachment; filename="${id.replace(/[^A-Za-z0-9._-]/g, "_")}-history.json"`);
        return sendJson(response, 200, history);
      }
      if (parts.length === 4 && parts[3] === "payload") return sendJson(response, 200, await fullPayload(ctx, id, url.searchParams));
    }
    throw new ApiError(404, `No endpoint ${url.pathname}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === "::1" ? "[::1]" : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

function defaultAssetsDir(): string {
  // From dist/server/ the page is in dist/console/; from the sources, in ../dist/console/.
  const [built, fromSources] = ["../console/", "../dist/console/"].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return existsSync(`${built}app.js`) ? built! : fromSources!;
}

function pathParts(pathname: string): string[] {
  try {
    return pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    throw new ApiError(400, `${pathname} is not a valid path (a % not followed by two hex digits)`);
  }
}

/** Serves a file of the page; opened with the token in the URL, it also sets the cookie the page's other asset requests carry. */
function sendAsset(response: ServerResponse, path: string, cookie: string | undefined, token: string): void {
  if (!existsSync(path)) throw new ApiError(500, `The console's page is not built (${path} is missing): run npm run build.`);
  if (cookie !== undefined) response.setHeader("Set-Cookie", `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=/`);
  response.writeHead(200, { "Content-Type": CONTENT_TYPES[path.split(".").pop()!] ?? "application/octet-stream" });
  response.end(readFileSync(path));
}

/** JSON out; a value the store holds encrypted never leaves as ciphertext. */
function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, (key, v: unknown) => (typeof v === "string" && (key === "Sealed" || v.startsWith("rpl:aes256gcm:")) ? "(encrypted)" : v));
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
  response.end(body);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.end();
  if (error instanceof ApiError) return sendJson(response, error.status, { error: error.message });
  if (error instanceof Error && error.name === "StoreFileError") return sendJson(response, 503, { error: error.message });
  sendJson(response, 500, { error: `internal error in the console: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `The request is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch (error) {
    throw new ApiError(400, `The request body is not JSON: ${(error as Error).message}`);
  }
}
