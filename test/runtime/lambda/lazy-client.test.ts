// @aws-sdk/client-lambda is loaded by the first durable invocation that needs the default
// client, never by a handler that only runs locally (checked in a fresh process, where the
// module cache tells what was loaded).
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { REPO } from "../../cli/cli-build.js";

it("is loaded by the first durable invocation with the default client, not by a run on the test runner", () => {
  const event = {
    DurableExecutionArn: "arn:aws:lambda:us-east-1:000000000000:function:f:1/durable-execution/e/1",
    CheckpointToken: "t",
    InitialExecutionState: { Operations: [{ Id: "x", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date().toISOString(), ExecutionDetails: { InputPayload: "{}" } }] },
  };
  const script = `
    import { createRequire } from "node:module";
    import { withDurableExecution } from "./runtime/index.ts";
    import { LocalDurableTestRunner } from "./testing/index.ts";
    const cache = createRequire(import.meta.url)("node:module")._cache;
    const loaded = () => Object.keys(cache).some((file) => file.includes("@aws-sdk/client-lambda"));
    const handler = withDurableExecution(async (event, ctx) => ctx.step("s", async () => 1));
    await new LocalDurableTestRunner({ handlerFunction: handler }).run({ payload: {} });
    const afterLocalRun = loaded();
    // Nothing listens at the endpoint: the checkpoint fails, after the client was loaded.
    await handler(${JSON.stringify(event)}, { awsRequestId: "r" }).catch(() => undefined);
    console.log(JSON.stringify({ afterLocalRun, afterDurableInvocation: loaded() }));
  `;
  const env = { ...process.env, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:9", AWS_MAX_ATTEMPTS: "1" };
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO, env, encoding: "utf8" });
  expect(JSON.parse(out.trim().split("\n").at(-1)!)).toEqual({ afterLocalRun: false, afterDurableInvocation: true });
}, 30_000);
