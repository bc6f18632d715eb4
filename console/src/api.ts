import type { callbackAction, executionDetail, executionHistory, fullPayload, listExecutions } from "../../server/console-api.js";

// The console's HTTP API, with the token the page was opened with.

export type ExecutionList = Awaited<ReturnType<typeof listExecutions>>;
export type ExecutionSummary = ExecutionList["executions"][number];
export type ExecutionDetail = Awaited<ReturnType<typeof executionDetail>>;
export type OperationView = ExecutionDetail["operations"][number];
export type TimelineData = ExecutionDetail["timeline"];
export type History = Awaited<ReturnType<typeof executionHistory>>;
export type Payload = Awaited<ReturnType<typeof fullPayload>>;
export type ActionResult = Awaited<ReturnType<typeof callbackAction>>;

const TOKEN_KEY = "replayable-console-token";

/** The token from the URL the console printed, kept for this tab so reloads and links keep working. */
export function consoleToken(): string {
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export class ApiFailure extends Error {}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, headers: { ...init.headers, "X-Replayable-Token": consoleToken() } });
  const body = (await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }))) as T & { error?: string };
  if (!response.ok) throw new ApiFailure(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const enc = encodeURIComponent;

export const api = {
  list: (query: URLSearchParams) => request<ExecutionList>(`/api/executions?${query}`),
  detail: (id: string) => request<ExecutionDetail>(`/api/executions/${enc(id)}`),
  history: (id: string) => request<History>(`/api/executions/${enc(id)}/history`),
  historyDownloadUrl: (id: string) => `/api/executions/${enc(id)}/history?download=1&token=${enc(consoleToken())}`,
  payload: (id: string, operation: string | undefined, label: string) =>
    request<Payload>(`/api/executions/${enc(id)}/payload?${new URLSearchParams({ ...(operation ? { operation } : {}), label })}`),
  callback: (callbackId: string, action: "succeed" | "fail" | "heartbeat", body: object) =>
    request<ActionResult>(`/api/callbacks/${enc(callbackId)}/${action}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  stop: (id: string, body: object) =>
    request<ActionResult>(`/api/executions/${enc(id)}/stop`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  events: () => new EventSource(`/api/events?token=${enc(consoleToken())}`),
};
