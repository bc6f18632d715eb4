/**
 * An execution's status as Lambda names it, everywhere: `replayable serve` ends one TIMED_OUT
 * (its ExecutionTimeout) and one STOPPED (StopDurableExecution), and fails one whose module
 * does not load. The store keeps all three FAILED; the Lambda API, serve's web console and the
 * CLI's list and show (the built bin, in child processes) say TIMED_OUT, STOPPED and FAILED,
 * and filter on them. The console's history has the API's invocation boundaries.
 */
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand, InvokeCommand, StopDurableExecutionCommand } from "@aws-sdk/client-lambda";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEngine, SqliteStore } from "../../engine/index.js";
import { startConsoleServer } from "../../server/console-server.js";
import { eventually, startServe, type ServeProcess } from "../server/serve-process.js";
import { buildCli, REPO, runCli, type CliBuild } from "./cli-build.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-lambda-status-"));
const store = join(dir, "db.sqlite");
const template = join(dir, "template.yaml");
let cli: CliBuild;
let serve: ServeProcess | undefined;
/** serve's web console: its base URL and token. */
let webConsole: { url: string; token: string };
let brokenArn: string;

const fn = (name: string, handler: string, timeoutSeconds: number) => [
  `  ${name}:`,
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  `      FunctionName: ${name}`,
  `      CodeUri: ${JSON.stringify(join(REPO, "test/server/handlers"))}`,
  `      Handler: ${handler}`,
  "      AutoPublishAlias: live",
  "      DurableConfig:",
  `        ExecutionTimeout: ${timeoutSeconds}`,
];

beforeAll(async () => {
  writeFileSync(template, ["Resources:", ...fn("slow", "hour-wait.handler", 2), ...fn("waits", "hour-wait.handler", 3600), ...fn("broken", "broken-at-load.handler", 3600)].join("\n"));
  cli = await buildCli();
  serve = await startServe(cli, ["--template", template, "--store", store, "--console", "0"]);
  const { client } = serve;
  const broken = await client.send(new InvokeCommand({ FunctionName: "broken:live", DurableExecutionName: "broken-1", Payload: Buffer.from("{}") }));
  expect(broken.FunctionError).toBe("Unhandled");
  brokenArn = broken.DurableExecutionArn!;
  const slow = await client.send(new InvokeCommand({ FunctionName: "slow:live", InvocationType: "Event", DurableExecutionName: "slow-1", Payload: Buffer.from("{}") }));
  const waits = await client.send(new InvokeCommand({ FunctionName: "waits:live", InvocationType: "Event", DurableExecutionName: "stop-1", Payload: Buffer.from("{}") }));
  await eventually("stop-1's wait", async () => ((await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: waits.DurableExecutionArn }))).Events?.some((e) => e.EventType === "WaitStarted") ? true : undefined));
  await client.send(new StopDurableExecutionCommand({ DurableExecutionArn: waits.DurableExecutionArn, Error: { ErrorType: "Cancelled", ErrorMessage: "the customer cancelled" } }));
  const status = async (arn: string | undefined) => (await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).Status;
  await eventually("slow-1 to time out", async () => ((await status(slow.DurableExecutionArn)) === "TIMED_OUT" ? true : undefined), 15_000);
  expect([await status(brokenArn), await status(waits.DurableExecutionArn)]).toEqual(["FAILED", "STOPPED"]);
  const printed = /console: (http:\/\/127\.0\.0\.1:\d+\/)\?token=([\w-]+)/.exec(serve.output());
  if (!printed) throw new Error(`serve printed no console URL:\n${serve.output()}`);
  webConsole = { url: printed[1]!, token: printed[2]! };
}, 90_000);

afterAll(async () => {
  await serve?.kill();
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function consoleApi(path: string, on = webConsole) {
  const response = await fetch(new URL(path, on.url), { headers: { "x-replayable-token": on.token } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const ALL = [
  ["stop-1", "STOPPED"],
  ["slow-1", "TIMED_OUT"],
  ["broken-1", "FAILED"],
];

it("serve's console lists them as the Lambda API does and filters on TIMED_OUT and STOPPED; FAILED is neither", async () => {
  const listed = async (query: string) => (await consoleApi(`/api/executions${query}`)).body.executions.map((e: { executionId: string; status: string }) => [e.executionId, e.status]);
  expect(await listed("")).toEqual(ALL);
  expect(await listed("?status=TIMED_OUT")).toEqual([["slow-1", "TIMED_OUT"]]);
  expect(await listed("?status=stopped")).toEqual([["stop-1", "STOPPED"]]);
  expect(await listed("?status=FAILED")).toEqual([["broken-1", "FAILED"]]);
  expect(await listed("?status=FAILED&limit=1")).toEqual([["broken-1", "FAILED"]]);
  expect(await consoleApi("/api/executions?status=CANCELLED")).toEqual({ status: 400, body: { error: "status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED; got CANCELLED" } });
});

it("replayable list and show print TIMED_OUT and STOPPED, and list --status filters on them", async () => {
  const run = (...args: string[]) => runCli(cli.bin, [...args, "--store", store], { cwd: dir });
  const table = await run("list");
  expect(table.code, table.stderr).toBe(0);
  const rows = table.stdout.trimEnd().split("\n").slice(1);
  expect(rows.map((row) => row.split(/ {2,}/)).map((cells) => [cells[0], cells[2]])).toEqual(ALL);
  const ids = async (status: string) => (await run("list", "--status", status)).stdout.trimEnd().split("\n").slice(1).map((row) => row.split(" ")[0]);
  expect(await ids("timed_out")).toEqual(["slow-1"]);
  expect(await ids("STOPPED")).toEqual(["stop-1"]);
  expect(await ids("failed")).toEqual(["broken-1"]);
  expect((await run("list", "--status", "succeeded")).stdout).toBe(`no succeeded executions in ${store}\n`);
  expect(await run("list", "--status", "cancelled")).toMatchObject({ code: 2, stderr: expect.stringContaining("--status must be one of running, succeeded, failed, timed_out, stopped; got cancelled") });
  const json = JSON.parse((await run("list", "--json")).stdout) as Array<{ executionId: string; status: string }>;
  expect(json.map((e) => [e.executionId, e.status])).toEqual(ALL);

  const slow = await run("show", "slow-1");
  expect(slow.stdout).toContain("\n  status       TIMED_OUT\n");
  expect(slow.stdout).toMatch(/✗ TIMED_OUT in \S+ \(1 invocation\)\nerror: ExecutionTimedOut: The execution ran past its DurableConfig\.ExecutionTimeout of 2 seconds\n$/);
  const stopped = await run("show", "stop-1");
  expect(stopped.stdout).toContain("\n  status       STOPPED\n");
  expect(stopped.stdout).toMatch(/✗ STOPPED in \S+ \(1 invocation\)\nerror: Cancelled: the customer cancelled\n$/);
  expect((await run("show", "broken-1")).stdout).toContain("\n  status       FAILED\n");
  expect((JSON.parse((await run("show", "stop-1", "--json")).stdout) as { execution: { status: string } }).execution.status).toBe("STOPPED");
});

it("replayable run of an execution stopped elsewhere: STOPPED in its first line and in the outcome it follows to, not FAILED", async () => {
  mkdirSync(join(dir, "handlers"), { recursive: true });
  writeFileSync(join(dir, "handlers/hour.mjs"), `import { withDurableExecution } from "replayable";\nexport const handler = withDurableExecution(async (event, context) => { await context.wait("hour", { hours: 1 }); });\n`);
  const own = join(dir, "run.sqlite");
  const run = (...args: string[]) => runCli(cli.bin, [...args, "--store", own], { cwd: dir });
  expect((await run("run", "handlers/hour.mjs", "--id", "hour-1", "--no-follow")).code).toBe(0);
  expect((await run("resume", "--once")).stdout).toContain("hour-1"); // its first invocation: it waits now
  const sqlite = SqliteStore.open(own);
  const engine = createEngine({ store: sqlite, worker: false });
  await engine.stopExecution("hour-1", { ErrorMessage: "not needed" });
  await engine.close();
  await sqlite.close();
  const again = await run("run", "handlers/hour.mjs", "--id", "hour-1");
  expect(again.code).toBe(1);
  expect(again.stdout).toContain("\n  already in the store: STOPPED, started ");
  expect(again.stdout).toMatch(/\n✗ STOPPED in \S+ \(1 invocation\)\nerror: ExecutionStopped: not needed\n$/);
});

type Events = Array<{ EventType?: string; InvocationCompletedDetails?: { RequestId?: string; Error?: { Payload?: { ErrorType?: string; ErrorMessage?: string } } } }>;

/** The InvocationCompleted events: request id and error. */
const boundaries = (events: Events) =>
  events.filter((e) => e.EventType === "InvocationCompleted").map((e) => [e.InvocationCompletedDetails?.RequestId, e.InvocationCompletedDetails?.Error?.Payload?.ErrorType, e.InvocationCompletedDetails?.Error?.Payload?.ErrorMessage]);

const apiHistory = async (running: ServeProcess) => (await running.client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: brokenArn }))).Events! as Events;

it("the console's history has the Lambda API's InvocationCompleted events: each failed load in serve's console; Runtime.ExitError in another process, as serve's after a restart", async () => {
  const fromApi = await apiHistory(serve!);
  const fromConsole = (await consoleApi("/api/executions/broken-1/history")).body.events as Events;
  expect(boundaries(fromApi).map(([, type]) => type)).toEqual(["Runtime.ImportModuleError", "Runtime.ImportModuleError", "Runtime.ImportModuleError"]);
  expect(boundaries(fromConsole)).toEqual(boundaries(fromApi));
  expect(fromConsole.map((e) => e.EventType)).toEqual(fromApi.map((e) => e.EventType));
  expect(await serve!.stop()).toBe(0);
  serve = undefined;

  // After a restart serve knows only what the store holds: the first two attempts show Runtime.ExitError; the last one's end (the execution failed) is the engine's.
  const restarted = await startServe(cli, ["--template", template, "--store", store, "--no-console"]);
  const afterRestart = await apiHistory(restarted).finally(() => restarted.stop());
  expect(boundaries(afterRestart).map(([requestId, type]) => [requestId, type])).toEqual(boundaries(fromApi).map(([requestId], i) => [requestId, i < 2 ? "Runtime.ExitError" : undefined]));
  const sqlite = SqliteStore.open(store);
  const standalone = await startConsoleServer({ store: sqlite, changeVersion: () => sqlite.dataVersion(), port: 0 });
  try {
    expect(boundaries((await consoleApi("/api/executions/broken-1/history", { url: standalone.url, token: standalone.token })).body.events as Events)).toEqual(boundaries(afterRestart));
  } finally {
    await standalone.close();
    await sqlite.close();
  }
}, 60_000);
