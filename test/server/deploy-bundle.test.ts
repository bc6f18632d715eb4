// A handler importing `replayable`, bundled as users deploy it (esbuild, one file, the Lambda
// client inside), described by a SAM template (Handler, CodeUri, DurableConfig,
// AutoPublishAlias) and run by `replayable serve` with its default LambdaClient. Then the
// crash test: serve is killed with SIGKILL during a wait, started again on the same store,
// and the execution completes without running its finished step again.
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand, InvokeCommand, SendDurableExecutionCallbackSuccessCommand } from "@aws-sdk/client-lambda";
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildCli, REPO, type CliBuild } from "../cli/cli-build.js";
import { eventually, startServe, type ServeProcess } from "./serve-process.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-serve-bundle-"));
const store = join(dir, "db.sqlite");
let cli: CliBuild;
let serve: ServeProcess | undefined;

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders
      CodeUri: ./dist
      Handler: index.handler
      Runtime: nodejs22.x
      AutoPublishAlias: live
      Role: !GetAtt OrdersRole.Arn
      DurableConfig:
        ExecutionTimeout: 900
        RetentionPeriodInDays: 7
`;

beforeAll(async () => {
  cli = await buildCli();
  // As a user bundles for Lambda: one CommonJS file for Node, everything inside (the
  // replayable package resolves to this checkout's runtime).
  await build({
    entryPoints: [join(REPO, "test/server/handlers/replayable-order.ts")],
    bundle: true,
    platform: "node",
    target: "node22",
    outfile: join(dir, "dist/index.js"),
    alias: { replayable: join(REPO, "runtime/index.ts") },
    logLevel: "silent",
  });
  writeFileSync(join(dir, "template.yaml"), TEMPLATE);
  mkdirSync(join(dir, "work"));
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const startFromTemplate = () => startServe(cli, ["--template", join(dir, "template.yaml"), "--store", store], join(dir, "work"));

it("runs the one-file bundle from the template by its alias, survives SIGKILL of serve during a wait, and completes after a restart", async () => {
  serve = await startFromTemplate();
  let client = serve.client;
  const unqualified = await client.send(new InvokeCommand({ FunctionName: "orders", Payload: Buffer.from("{}") })).catch((e: Error) => e);
  expect(unqualified).toMatchObject({ name: "InvalidParameterValueException", message: expect.stringMatching(/or an alias \(live\)/) });

  const started = await client.send(
    new InvokeCommand({ FunctionName: "orders:live", InvocationType: "Event", DurableExecutionName: "bundle-1", Payload: Buffer.from(JSON.stringify({ orderId: "o-9", cents: 900, waitSeconds: 3 })) }),
  );
  expect(started.DurableExecutionArn).toMatch(/function:orders:1\/durable-execution\/bundle-1\//);
  const arn = started.DurableExecutionArn!;
  const events = async () => (await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }))).Events ?? [];
  await eventually("the settle wait", async () => ((await events()).some((e) => e.EventType === "WaitStarted") ? true : undefined), 60_000);

  await serve.kill();
  serve = await startFromTemplate();
  client = serve.client;
  const callbackId = await eventually("the callback after the restart", async () => (await events()).find((e) => e.EventType === "CallbackStarted")?.CallbackStartedDetails?.CallbackId, 60_000);
  await client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: callbackId, Result: Buffer.from(JSON.stringify("ok")) }));
  const execution = await eventually("the end", async () => {
    const e = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return e.Status === "RUNNING" ? undefined : e;
  });
  expect(execution.Status).toBe("SUCCEEDED");
  expect(JSON.parse(execution.Result!)).toEqual({ charged: { orderId: "o-9", cents: 900 }, approval: "ok", receipt: 36 });
  const history = await events();
  expect(history.filter((e) => e.EventType === "StepStarted" && e.Name === "charge")).toHaveLength(1);
  expect(history.filter((e) => e.EventType === "InvocationCompleted").length).toBeGreaterThanOrEqual(2);
}, 180_000);
