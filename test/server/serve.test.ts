// `replayable serve` driven by the real @aws-sdk/client-lambda over loopback HTTP: Invoke (sync
// and Event, qualifiers, DurableExecutionName), the durable execution APIs with their paging,
// and Lambda's error shapes. Handlers run in worker processes, the official SDK's and
// replayable's runtime each checkpointing through its own default LambdaClient.
import {
  CheckpointDurableExecutionCommand,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  GetDurableExecutionStateCommand,
  InvokeCommand,
  ListDurableExecutionsByFunctionCommand,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
  StopDurableExecutionCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, type CliBuild } from "../cli/cli-build.js";
import { eventually, startServe, type ServeProcess } from "./serve-process.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-serve-"));
let cli: CliBuild;
let serve: ServeProcess;
let client: LambdaClient;

beforeAll(async () => {
  cli = await buildCli();
  serve = await startServe(cli, [
    "--store",
    join(dir, "db.sqlite"),
    "test/server/handlers/aws-order.mjs",
    "test/server/handlers/replayable-order.ts",
    "test/server/handlers/quick.mjs",
    "test/server/handlers/long-wait.ts",
    "test/server/handlers/broken-at-load.mjs",
  ]);
  client = serve.client;
}, 60_000);

afterAll(async () => {
  expect(await serve?.stop()).toBe(0);
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("utf8");
const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
  if (!error) throw new Error("expected the call to fail");
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
};

async function callbackIdOf(arn: string): Promise<string> {
  return eventually(`a callback of ${arn}`, async () => {
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    return history.Events?.find((e) => e.EventType === "CallbackStarted")?.CallbackStartedDetails?.CallbackId;
  });
}

async function ended(arn: string) {
  return eventually(`${arn} to end`, async () => {
    const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return execution.Status === "RUNNING" ? undefined : execution;
  });
}

describe.each([["the official SDK", "aws-order"], ["replayable's runtime", "replayable-order"]])("%s in a worker, checkpointing over HTTP", (_sdk, fn) => {
  it("runs a step, a wait and a callback to the end: Event invoke, callback success with a heartbeat first", async () => {
    const started = await client.send(new InvokeCommand({ FunctionName: `${fn}:1`, InvocationType: "Event", DurableExecutionName: `${fn}-ok`, Payload: payload({ orderId: "o-1", cents: 42 }) }));
    expect(started.StatusCode).toBe(202);
    expect(started.DurableExecutionArn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${fn}:1/durable-execution/${fn}-ok/${started.DurableExecutionArn!.split("/").at(-1)}`);
    const callbackId = await callbackIdOf(started.DurableExecutionArn!);
    await client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: callbackId }));
    await client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: payload("approved") }));
    const execution = await ended(started.DurableExecutionArn!);
    expect(execution.Status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.Result!)).toMatchObject({ charged: { orderId: "o-1", cents: 42 }, approval: "approved" });
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: started.DurableExecutionArn, IncludeExecutionData: true }));
    const types = history.Events!.map((e) => e.EventType);
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    expect(types).toEqual(expect.arrayContaining(["StepSucceeded", "WaitStarted", "WaitSucceeded", "CallbackStarted", "CallbackSucceeded", "InvocationCompleted"]));
    expect(history.Events!.find((e) => e.EventType === "StepSucceeded" && e.Name === "charge")?.StepSucceededDetails?.Result?.Payload).toBe(JSON.stringify({ orderId: "o-1", cents: 42 }));
  });

  it("fails the execution when the callback fails", async () => {
    const started = await client.send(new InvokeCommand({ FunctionName: `${fn}:1`, InvocationType: "Event", DurableExecutionName: `${fn}-refused`, Payload: payload({ orderId: "o-2", cents: 1 }) }));
    const callbackId = await callbackIdOf(started.DurableExecutionArn!);
    await client.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId: callbackId, Error: { ErrorType: "Refused", ErrorMessage: "not today" } }));
    const execution = await ended(started.DurableExecutionArn!);
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error?.ErrorMessage).toMatch(/not today/);
    expect(await rejection(client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: payload(1) })))).toMatchObject({
      name: "InvalidParameterValueException",
      status: 400,
      message: expect.stringMatching(/no longer waiting/),
    });
  });
});

describe("Invoke", () => {
  it("sync: answers with the execution's result, the version that ran and the execution's ARN", async () => {
    const answer = await client.send(new InvokeCommand({ FunctionName: "quick", Qualifier: "1", Payload: payload({ items: [1, 2, 3] }) }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(text(answer.Payload))).toEqual({ total: 6 });
    expect(answer.ExecutedVersion).toBe("1");
    expect(answer.DurableExecutionArn).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:quick:1\/durable-execution\/[0-9a-f-]{36}\/[0-9a-f]{32}$/);
  });

  it("sync: a failed execution comes back as a function error (X-Amz-Function-Error), as Lambda's", async () => {
    const answer = await client.send(new InvokeCommand({ FunctionName: "arn:aws:lambda:us-east-1:000000000000:function:quick:1", Payload: payload({ items: [5], fail: true }) }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe("Unhandled");
    expect(JSON.parse(text(answer.Payload))).toMatchObject({ errorType: "Error", errorMessage: "refused order of 5" });
  });

  it("a handler that fails to load: tried 3 times, then the execution fails with Runtime.ImportModuleError and the module's error", async () => {
    const started = Date.now();
    const answer = await client.send(new InvokeCommand({ FunctionName: "broken-at-load:1", Payload: payload({}) }));
    expect(answer.FunctionError).toBe("Unhandled");
    const error = JSON.parse(text(answer.Payload));
    expect(error.errorType).toBe("Runtime.ImportModuleError");
    expect(error.errorMessage).toContain("the orders table is not configured (set ORDERS_TABLE)");
    expect(error.errorMessage).toContain("failed to load 3 times");
    expect(Date.now() - started).toBeLessThan(30_000);
    const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: answer.DurableExecutionArn! }));
    expect(execution.Status).toBe("FAILED");
    expect(execution.Error?.ErrorType).toBe("Runtime.ImportModuleError");
    // Each attempt is an invocation of its own, as on Lambda: three InvocationCompleted, each with the load error.
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: answer.DurableExecutionArn! }));
    const completed = history.Events!.filter((e) => e.EventType === "InvocationCompleted");
    expect(completed.map((e) => e.InvocationCompletedDetails?.Error?.Payload?.ErrorType)).toEqual(["Runtime.ImportModuleError", "Runtime.ImportModuleError", "Runtime.ImportModuleError"]);
    expect(new Set(completed.map((e) => e.InvocationCompletedDetails?.RequestId)).size).toBe(3);
    expect(history.Events!.at(-1)?.EventType).toBe("ExecutionFailed");
  }, 40_000);

  it("DurableExecutionName: the same name and payload is the same execution; another payload is refused", async () => {
    const first = await client.send(new InvokeCommand({ FunctionName: "quick:1", DurableExecutionName: "order-77", Payload: payload({ items: [7] }) }));
    const again = await client.send(new InvokeCommand({ FunctionName: "quick:1", DurableExecutionName: "order-77", Payload: payload({ items: [7] }) }));
    expect(again.DurableExecutionArn).toBe(first.DurableExecutionArn);
    expect(JSON.parse(text(again.Payload))).toEqual({ total: 7 });
    const other = await rejection(client.send(new InvokeCommand({ FunctionName: "quick:1", DurableExecutionName: "order-77", Payload: payload({ items: [8] }) })));
    expect(other).toMatchObject({ name: "DurableExecutionAlreadyStartedException", status: 409, message: expect.stringMatching(/order-77 already exists.*another payload/) });
  });

  it("refuses what Lambda refuses, with Lambda's error names", async () => {
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick", Payload: payload({}) })))).toMatchObject({
      name: "InvalidParameterValueException",
      status: 400,
      message: expect.stringMatching(/qualified ARN.*without AllowInvokeLatest.*quick:1/),
    });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick:$LATEST", Payload: payload({}) })))).toMatchObject({ name: "InvalidParameterValueException" });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "nope:1", Payload: payload({}) })))).toMatchObject({
      name: "ResourceNotFoundException",
      status: 404,
      message: expect.stringMatching(/Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope/),
    });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick:7", Payload: payload({}) })))).toMatchObject({ name: "ResourceNotFoundException", message: expect.stringMatching(/quick:7.*versions: 1/) });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick:1", Payload: Buffer.alloc(300 * 1024, 32) })))).toMatchObject({ name: "RequestTooLargeException", status: 413 });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick:1", InvocationType: "Event", Payload: Buffer.alloc(1100 * 1024, 32) })))).toMatchObject({
      name: "RequestTooLargeException",
      message: expect.stringMatching(/smaller than 1048576 bytes/),
    });
    expect(await rejection(client.send(new InvokeCommand({ FunctionName: "quick:1", Payload: Buffer.from("{not json") })))).toMatchObject({ name: "InvalidRequestContentException", status: 400 });
  });
});

describe("the durable execution APIs", () => {
  let arn: string;
  beforeAll(async () => {
    const started = await client.send(new InvokeCommand({ FunctionName: "long-wait:1", InvocationType: "Event", DurableExecutionName: "long-1", Payload: payload({ n: 5 }) }));
    arn = started.DurableExecutionArn!;
    await eventually("the hour's wait", async () => {
      const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
      return history.Events?.some((e) => e.EventType === "WaitStarted") ? true : undefined;
    });
  });

  it("GetDurableExecution, and GetDurableExecutionHistory page by page (NextMarker), without payloads unless asked", async () => {
    const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(execution).toMatchObject({ DurableExecutionArn: arn, DurableExecutionName: "long-1", FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:long-wait:1", Status: "RUNNING", Version: "1", InputPayload: '{"n":5}' });
    expect(execution.StartTimestamp).toBeInstanceOf(Date);
    const whole = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    const pages = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 3, Marker: marker }));
      pages.push(page.Events!);
      marker = page.NextMarker;
    } while (marker);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.flat().map((e) => e.EventId)).toEqual(whole.Events!.map((e) => e.EventId));
    expect(whole.Events!.find((e) => e.EventType === "StepSucceeded")?.StepSucceededDetails?.Result?.Payload).toBeUndefined();
    const reversed = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, ReverseOrder: true }));
    expect(reversed.Events!.map((e) => e.EventId)).toEqual(whole.Events!.map((e) => e.EventId).reverse());
  });

  it("ListDurableExecutionsByFunction with a qualifier, status filter and paging", async () => {
    for (const name of ["long-2", "long-3"]) await client.send(new InvokeCommand({ FunctionName: "long-wait:1", InvocationType: "Event", DurableExecutionName: name, Payload: payload({}) }));
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "long-wait", Qualifier: "1", Statuses: ["RUNNING"], MaxItems: 2, Marker: marker }));
      names.push(...page.DurableExecutions!.map((e) => e.DurableExecutionName!));
      marker = page.NextMarker;
    } while (marker);
    expect(names).toEqual(["long-1", "long-2", "long-3"]);
    const none = await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: "long-wait", Qualifier: "1", Statuses: ["SUCCEEDED"] }));
    expect(none.DurableExecutions).toEqual([]);
  });

  it("StopDurableExecution ends a waiting execution as STOPPED with the error given", async () => {
    const stopped = await client.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn, Error: { ErrorType: "Cancelled", ErrorMessage: "customer cancelled" } }));
    expect(stopped.StopTimestamp).toBeInstanceOf(Date);
    const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    expect(execution).toMatchObject({ Status: "STOPPED", Error: { ErrorType: "Cancelled", ErrorMessage: "customer cancelled" } });
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    expect(history.Events!.at(-1)?.EventType).toBe("ExecutionStopped");
    expect(await rejection(client.send(new StopDurableExecutionCommand({ DurableExecutionArn: arn })))).toMatchObject({ name: "ResourceConflictException", status: 409 });
  });

  it("refuses a checkpoint or state call without the running invocation's token, and an unknown execution", async () => {
    expect(await rejection(client.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: "made-up" })))).toMatchObject({
      name: "InvalidParameterValueException",
      status: 400,
      message: expect.stringMatching(/^Invalid Checkpoint Token: /),
    });
    expect(await rejection(client.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: "made-up", Updates: [{ Id: "has/slash", Type: "STEP", Action: "START" }] })))).toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringMatching(/updates.member.id.*\[a-zA-Z0-9-_\]\+/),
    });
    const unknown = arn.replace("long-1", "long-404");
    expect(await rejection(client.send(new GetDurableExecutionCommand({ DurableExecutionArn: unknown })))).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    expect(await rejection(client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: "c-unknown", Result: payload(1) })))).toMatchObject({ name: "InvalidParameterValueException" });
  });
});

describe("the web console serve starts", () => {
  it("prints its URL with a token; its API lists the executions serve ran, with their Lambda function and version", async () => {
    const printed = /\n {2}console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(serve.output());
    expect(printed, serve.output()).not.toBeNull();
    const url = new URL(printed![1]!);
    expect(((await fetch(new URL("/api/executions", url))).status)).toBe(401);
    await client.send(new InvokeCommand({ FunctionName: "quick:1", DurableExecutionName: "seen-in-console", Payload: payload({ items: [4] }) }));
    const response = await fetch(new URL("/api/executions?text=seen-in-console", url), { headers: { "x-replayable-token": url.searchParams.get("token")! } });
    expect(response.status).toBe(200);
    const list = (await response.json()) as { executions: Array<{ executionId: string; function: string; status: string }> };
    expect(list.executions).toMatchObject([{ executionId: "seen-in-console", function: "quick:1", status: "SUCCEEDED" }]);
  });
});
