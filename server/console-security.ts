import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

// The console serves execution data and completes callbacks, so a page on another origin
// (or a DNS-rebinding host name pointing at 127.0.0.1) must get nothing: every request carries
// the random token printed at start, its Host must be the loopback address the server listens
// on, and an Origin, when the browser sends one, must be the console's own.

/** 128 random bits, URL-safe. */
export function newConsoleToken(): string {
  return randomBytes(16).toString("base64url");
}

/** The cookie the page's own asset requests carry the token in (one per port: several consoles may run). */
export const tokenCookieName = (port: number): string => `replayable_console_${port}`;

/** Host names a browser on this machine uses for a loopback server; anything else is a rebinding attempt. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export type RequestVerdict = { ok: true } | { ok: false; status: 401 | 403 | 421; reason: string };

export interface RequestCheck {
  token: string;
  port: number;
  /** Where the token may come from: the API takes the header or ?token=, the page and its assets also the cookie. */
  acceptCookie: boolean;
}

export function checkRequest(request: IncomingMessage, url: URL, check: RequestCheck): RequestVerdict {
  const host = request.headers.host ?? "";
  if (!isLoopbackHost(host, check.port)) {
    return { ok: false, status: 421, reason: `Host ${JSON.stringify(host)} is not this console's address; open it at http://127.0.0.1:${check.port}/ (a foreign host name pointing here is refused).` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isLoopbackHost(originHost(origin), check.port)) {
    return { ok: false, status: 403, reason: `Requests from ${origin} are refused: only the console's own page may call it.` };
  }
  // Fetch metadata: a browser marks requests another site started; refuse them even with a cookie.
  const site = request.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") {
    return { ok: false, status: 403, reason: `A request started by another site is refused (Sec-Fetch-Site: ${site}).` };
  }
  const given = tokenOf(request, url, check);
  if (given === undefined || !sameToken(given, check.token)) {
    return { ok: false, status: 401, reason: "Missing or wrong console token: open the URL `replayable console` printed (it ends in ?token=...)." };
  }
  return { ok: true };
}

function tokenOf(request: IncomingMessage, url: URL, check: RequestCheck): string | undefined {
  const header = request.headers["x-replayable-token"];
  if (typeof header === "string") return header;
  const query = url.searchParams.get("token");
  if (query !== null) return query;
  if (!check.acceptCookie) return undefined;
  const name = tokenCookieName(check.port);
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopbackHost(host: string, port: number): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  return match !== null && LOOPBACK_HOSTS.has(match[1]!) && Number(match[2] ?? 80) === port;
}

function originHost(origin: string): string {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" ? url.host : "";
  } catch {
    return "";
  }
}

/**
 * Headers on every response: scripts and styles only from the console itself (no inline
 * script), no framing, no referrer (the URL holds the token), nothing cached.
 */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("Referrer-Policy", "no-referrer");
  response.setHeader("Cache-Control", "no-store");
  response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
}
