// The README's AWS CLI session against `replayable serve`, with the real `aws` command: a SAM
// template with an alias, `aws lambda invoke` (Event, a DurableExecutionName), the callback id
// read from `get-durable-execution-history`, `send-durable-execution-callback-success`, and
// Lambda's refusal of an unqualified durable invoke as the CLI reports it.
//
// The CLI is `aws` on PATH (or $REPLAYABLE_AWS_CLI). It must know Lambda's durable execution
// commands (AWS CLI 1.45.11 does; Debian's awscli 2.9.19 is older than them). Without it the
// test fails and says so: it is never skipped. It is started once, while serve builds
// (aws-cli.ts: the CLI's own code in one warm Python process).
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand } from "@aws-sdk/client-lambda";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildCli, REPO, type CliBuild } from "../cli/cli-build.js";
import { startAwsCli, type AwsCli } from "./aws-cli.js";
import { eventually, startServe, type ServeProcess } from "./serve-process.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-aws-cli-"));
/** The CLI reads no profile of the machine: dummy credentials, a region, no pager. */
const awsEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: join(dir, "no-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
  AWS_PAGER: "",
};
let cli: CliBuild;
let serve: ServeProcess;
let starting: Promise<AwsCli> | undefined;
let awsCli: AwsCli;

/** Runs `aws lambda <args> --endpoint-url <serve>` in `dir`. */
const aws = (...args: string[]) => awsCli.run(["lambda", ...args, "--endpoint-url", serve.url, "--output", "json"], dir);

beforeAll(async () => {
  starting = startAwsCli(process.env.REPLAYABLE_AWS_CLI ?? "aws", awsEnv);
  starting.catch(() => undefined); // reported below, after the build
  writeFileSync(
    join(dir, "template.yaml"),
    [
      "Resources:",
      "  Orders:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      FunctionName: orders",
      `      CodeUri: ${JSON.stringify(join(REPO, "test/server/handlers"))}`,
      "      Handler: aws-order.handler",
      "      AutoPublishAlias: live",
      "      DurableConfig:",
      "        ExecutionTimeout: 900",
      "        RetentionPeriodInDays: 7",
    ].join("\n"),
  );
  cli = await buildCli();
  awsCli = await starting;
  serve = await startServe(cli, ["--template", join(dir, "template.yaml"), "--store", join(dir, "db.sqlite")]);
}, 90_000);

afterAll(async () => {
  (await starting?.catch(() => undefined))?.close();
  if (serve) expect(await serve.stop()).toBe(0);
  cli?.remove();
  rmSync(dir, { recursive: true, force: true });
});

it("invoke (Event, an alias, a DurableExecutionName), the callback id from get-durable-execution-history, send-durable-execution-callback-success", async () => {
  const invoked = await aws("invoke", "--function-name", "orders:live", "--invocation-type", "Event", "--durable-execution-name", "order-1042", "--payload", '{"orderId":"o-1042","cents":42}', "out.json");
  expect(invoked.code, invoked.stderr).toBe(0);
  const started = JSON.parse(invoked.stdout) as { StatusCode: number; ExecutedVersion: string; DurableExecutionArn: string };
  expect(started).toEqual({ StatusCode: 202, ExecutedVersion: "1", DurableExecutionArn: expect.stringMatching(/^arn:aws:lambda:us-east-1:000000000000:function:orders:1\/durable-execution\/order-1042\/[0-9a-f]{32}$/) });
  expect(readFileSync(join(dir, "out.json"), "utf8")).toBe("");

  const arn = started.DurableExecutionArn;
  // Wait (polling with the JS client) until the handler is waiting for its callback.
  await eventually("the CallbackStarted event", async () => {
    const history = await serve.client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    return history.Events?.find((e) => e.EventType === "CallbackStarted");
  });
  const read = await aws("get-durable-execution-history", "--durable-execution-arn", arn);
  expect(read.code, read.stderr).toBe(0);
  const events = (JSON.parse(read.stdout) as { Events: Array<{ EventType: string; EventTimestamp: unknown; CallbackStartedDetails?: { CallbackId: string } }> }).Events;
  expect(events.map((e) => e.EventType).slice(0, 3)).toEqual(["ExecutionStarted", "StepStarted", "StepSucceeded"]);
  // The CLI prints timestamps as it parsed them from restJson1's epoch seconds.
  expect(typeof events[0]!.EventTimestamp).toBe("number");
  const callback = events.find((e) => e.EventType === "CallbackStarted");
  expect(callback?.CallbackStartedDetails?.CallbackId).toMatch(/\S/);

  const sent = await aws("send-durable-execution-callback-success", "--callback-id", callback!.CallbackStartedDetails!.CallbackId, "--result", '"approved"');
  expect(sent.code, sent.stderr).toBe(0);
  const done = await eventually("the execution to end", async () => {
    const execution = await serve.client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return execution.Status === "RUNNING" ? undefined : execution;
  });
  expect(done.Status).toBe("SUCCEEDED");
  expect(JSON.parse(done.Result!)).toEqual({ charged: { orderId: "o-1042", cents: 42 }, approval: "approved" });
}, 120_000);

it("an unqualified durable invoke: the CLI reports Lambda's InvalidParameterValueException, naming the version and the alias to use", async () => {
  const refused = await aws("invoke", "--function-name", "orders", "--payload", "{}", "out.json");
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain("An error occurred (InvalidParameterValueException) when calling the Invoke operation: A durable function must be invoked with a qualified ARN");
  expect(refused.stderr).toContain("Invoke orders:1 or an alias (live)");
}, 60_000);
