// The Lambda API over HTTP as @aws-sdk/client-lambda and the AWS CLI speak it (restJson1): the
// operation is the method and path, path labels are URI-encoded, other inputs come in the
// query, headers and a JSON (or blob) body; timestamps in bodies are epoch seconds.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorObject } from "../../runtime/operation-model.js";
import type { LambdaApi } from "./lambda-api.js";
import { asLambdaError, invalidRequestContent, tooLarge, unknownOperation } from "./lambda-errors.js";

/** The largest request body read (Lambda's 6 MB invoke payload, with room for a checkpoint's JSON). */
const MAX_BODY_BYTES = 7 * 1024 * 1024;

interface Answer {
  status: number;
  body?: unknown;
  /** A blob answer (Invoke's payload) instead of JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

/** What the server answers: the whole API, or (for a host that runs its own engine) only some of it; the rest is an unknown operation. */
export type LambdaRoutes = Partial<LambdaApi>;
type Route = (api: LambdaApi, request: ParsedRequest) => Promise<Answer>;

interface ParsedRequest {
  labels: string[];
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

const DURABLE = "2025-12-01";
const ROUTES: Array<{ method: string; path: RegExp; uses: keyof LambdaApi; route: Route }> = [
  { method: "POST", path: /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, uses: "invoke", route: invoke },
  { method: "POST", path: new RegExp(`^/${DURABLE}/durable-executions/([^/]+)/checkpoint$`), uses: "checkpoint", route: checkpoint },
  { method: "GET", path: new RegExp(`^/${DURABLE}/durable-executions/([^/]+)/state$`), uses: "getState", route: getState },
  { method: "GET", path: new RegExp(`^/${DURABLE}/durable-executions/([^/]+)/history$`), uses: "getHistory", route: getHistory },
  { method: "POST", path: new RegExp(`^/${DURABLE}/durable-executions/([^/]+)/stop$`), uses: "stop", route: stop },
  { method: "GET", path: new RegExp(`^/${DURABLE}/durable-executions/([^/]+)$`), uses: "getExecution", route: getExecution },
  { method: "GET", path: new RegExp(`^/${DURABLE}/functions/([^/]+)/durable-executions$`), uses: "listByFunction", route: listByFunction },
  { method: "POST", path: new RegExp(`^/${DURABLE}/durable-execution-callbacks/([^/]+)/(succeed|fail|heartbeat)$`), uses: "callback", route: callback },
];

/** Serves the API `api()` returns (known once the server's own URL is: its workers call it back). */
export async function listen(api: () => LambdaRoutes, port: number, host = "127.0.0.1"): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => void handle(api(), request, response));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}

async function handle(api: LambdaRoutes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: Answer;
  try {
    const url = new URL(request.url ?? "/", "http://localhost");
    const match = ROUTES.map((r) => ({ r, m: r.method === request.method ? r.path.exec(url.pathname) : null })).find((x) => x.m);
    const body = await readBody(request);
    if (!match || typeof api[match.r.uses] !== "function") throw unknownOperation(request.method ?? "?", url.pathname);
    const labels = match.m!.slice(1).map((label) => decodeURIComponent(label));
    answer = await match.r.route(api as LambdaApi, { labels, query: url.searchParams, headers: request.headers, body });
  } catch (error) {
    const e = asLambdaError(error);
    answer = { status: e.status, headers: { "x-amzn-errortype": e.name }, body: { Type: e.status < 500 ? "User" : "Service", message: e.message } };
  }
  const text = answer.raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body, epochSeconds));
  response.writeHead(answer.status, {
    "content-type": answer.raw !== undefined ? "application/octet-stream" : "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": crypto.randomUUID(),
    ...answer.headers,
  });
  response.end(text);
}

/** Dates as restJson1 sends timestamps: seconds since the epoch. */
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge(`Request must be smaller than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function json<T>(body: Buffer): T {
  if (body.length === 0) return {} as T;
  try {
    return JSON.parse(body.toString("utf8")) as T;
  } catch (error) {
    throw invalidRequestContent(`Could not parse request body into json: ${(error as Error).message}`);
  }
}

const numberParam = (query: URLSearchParams, name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
const booleanParam = (query: URLSearchParams, name: string) => query.get(name) === "true";
const dateParam = (query: URLSearchParams, name: string) => (query.has(name) ? new Date(query.get(name)!) : undefined);
const header = (headers: IncomingMessage["headers"], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

async function invoke(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const answer = await api.invoke({
    functionName: request.labels[0]!,
    qualifier: request.query.get("Qualifier") ?? undefined,
    invocationType: header(request.headers, "x-amz-invocation-type"),
    executionName: header(request.headers, "x-amz-durable-execution-name"),
    payload: request.body,
  });
  return {
    status: answer.statusCode,
    raw: answer.payload,
    headers: {
      "x-amz-executed-version": answer.executedVersion,
      "x-amz-durable-execution-arn": answer.executionArn,
      ...(answer.functionError && { "x-amz-function-error": answer.functionError }),
    },
  };
}

async function checkpoint(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  return { status: 200, body: await api.checkpoint(request.labels[0]!, json(request.body)) };
}

async function getState(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const { query } = request;
  return { status: 200, body: await api.getState(request.labels[0]!, query.get("CheckpointToken") ?? undefined, query.get("Marker") ?? undefined, numberParam(query, "MaxItems")) };
}

async function getExecution(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  return { status: 200, body: await api.getExecution(request.labels[0]!) };
}

async function getHistory(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const { query } = request;
  const body = await api.getHistory(request.labels[0]!, {
    includeExecutionData: booleanParam(query, "IncludeExecutionData"),
    maxItems: numberParam(query, "MaxItems"),
    marker: query.get("Marker") ?? undefined,
    reverseOrder: booleanParam(query, "ReverseOrder"),
  });
  return { status: 200, body };
}

async function listByFunction(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const { query } = request;
  const body = await api.listByFunction(request.labels[0]!, {
    qualifier: query.get("Qualifier") ?? undefined,
    executionName: query.get("DurableExecutionName") ?? undefined,
    statuses: query.getAll("Statuses"),
    startedAfter: dateParam(query, "StartedAfter"),
    startedBefore: dateParam(query, "StartedBefore"),
    reverseOrder: booleanParam(query, "ReverseOrder"),
    marker: query.get("Marker") ?? undefined,
    maxItems: numberParam(query, "MaxItems"),
  });
  return { status: 200, body };
}

async function stop(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const error = request.body.length > 0 ? json<ErrorObject>(request.body) : undefined;
  return { status: 200, body: await api.stop(request.labels[0]!, error) };
}

async function callback(api: LambdaApi, request: ParsedRequest): Promise<Answer> {
  const [callbackId, action] = request.labels as [string, "succeed" | "fail" | "heartbeat"];
  if (action === "succeed") await api.callback(callbackId, { kind: "succeed", result: request.body.toString("utf8") });
  else if (action === "fail") await api.callback(callbackId, { kind: "fail", error: json<ErrorObject>(request.body) });
  else await api.callback(callbackId, { kind: "heartbeat" });
  return { status: 200, body: {} };
}
