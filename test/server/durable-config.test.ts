// DurableConfig's ExecutionTimeout and RetentionPeriodInDays, enforced by `replayable serve`
// as Lambda enforces them, on the server's clock (moved by the test): an execution running past
// its ExecutionTimeout ends TIMED_OUT with an ExecutionTimedOut event; one that ended longer
// ago than RetentionPeriodInDays is no longer returned or listed.
import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  InvokeCommand,
  LambdaClient,
  ListDurableExecutionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MemoryStore } from "../../engine/index.js";
import { startConsoleServer } from "../../server/console-server.js";
import { startLambdaServer, type LambdaServer } from "../../server/lambda-api/index.js";
import { REPO } from "../cli/cli-build.js";
import { eventually } from "./serve-process.js";

const DAY_MS = 24 * 60 * 60 * 1000;
let now = Date.parse("2026-12-01T00:00:00Z");
const store = new MemoryStore();
let server: LambdaServer;
let client: LambdaClient;

beforeAll(async () => {
  server = await startLambdaServer({
    store,
    port: 0,
    clock: () => now,
    functions: [
      { name: "waits", file: join(REPO, "test/server/handlers/hour-wait.mjs"), exportName: "handler", durableConfig: { ExecutionTimeout: 60, RetentionPeriodInDays: 2 }, versions: ["1"], aliases: {} },
    ],
    workerCommand: (version) => ({ module: join(REPO, "test/server/file-worker.ts"), execArgv: ["--import", "tsx"], args: [version.definition.file], cwd: REPO, output: "ignore" }),
  });
  client = new LambdaClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await store.close();
});

const status = async (arn: string) => (await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }))).Status;

it("ExecutionTimeout: still waiting 60 s after it started, the execution ends TIMED_OUT with Lambda's ExecutionTimedOut event; past RetentionPeriodInDays it is gone from the API", async () => {
  const { DurableExecutionArn: arn } = await client.send(new InvokeCommand({ FunctionName: "waits:1", InvocationType: "Event", DurableExecutionName: "slow-1", Payload: Buffer.from("{}") }));
  await eventually("the wait to start", async () => {
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    return history.Events?.find((e) => e.EventType === "WaitStarted");
  });
  now += 59_000;
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // three sweeps: not yet
  expect(await status(arn!)).toBe("RUNNING");

  now += 1_000;
  await eventually("TIMED_OUT", async () => ((await status(arn!)) === "TIMED_OUT" ? true : undefined), 10_000);
  const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
  expect(execution.Error).toEqual({ ErrorType: "ExecutionTimedOut", ErrorMessage: "The execution ran past its DurableConfig.ExecutionTimeout of 60 seconds" });
  expect(execution.EndTimestamp?.getTime()).toBe(now);
  const events = (await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }))).Events!;
  expect(events.at(-1)).toMatchObject({ EventType: "ExecutionTimedOut", ExecutionTimedOutDetails: { Error: { Payload: { ErrorType: "ExecutionTimedOut" } } } });
  const listed = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "waits", Qualifier: "1", Statuses: ["TIMED_OUT"] }));
  expect(listed.DurableExecutions?.map((e) => e.DurableExecutionName)).toEqual(["slow-1"]);
  // The web console on the same store shows it TIMED_OUT too (the store's row says FAILED).
  const webConsole = await startConsoleServer({ store, changeVersion: () => 0, port: 0 });
  try {
    const api = async (path: string) => (await fetch(new URL(path, webConsole.url), { headers: { "x-replayable-token": webConsole.token } })).json() as Promise<Record<string, any>>;
    expect((await api("/api/executions/slow-1")).execution.status).toBe("TIMED_OUT");
    expect((await api("/api/executions?text=slow-1")).executions.map((e: { status: string }) => e.status)).toEqual(["TIMED_OUT"]);
    expect((await api("/api/executions/slow-1/history")).events.at(-1).EventType).toBe("ExecutionTimedOut");
  } finally {
    await webConsole.close();
  }

  // Retention counts from the end: two days later it is still there, just after that it is not.
  now += 2 * DAY_MS;
  expect(await status(arn!)).toBe("TIMED_OUT");
  now += 1;
  const gone = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })).then(
    () => undefined,
    (error: Error) => error.name,
  );
  expect(gone).toBe("ResourceNotFoundException");
  await expect(client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }))).rejects.toThrow(/not found/);
  expect((await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "waits", Qualifier: "1" }))).DurableExecutions).toEqual([]);
  const reused = await client.send(new InvokeCommand({ FunctionName: "waits:1", InvocationType: "Event", DurableExecutionName: "slow-1", Payload: Buffer.from("{}") })).then(
    () => undefined,
    (error: Error) => error.message,
  );
  expect(reused).toContain("ended longer ago than its function's RetentionPeriodInDays");
}, 60_000);
