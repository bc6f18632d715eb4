/**
 * `replayable run --sdk aws`: a handler written with @aws/durable-execution-sdk-js runs on
 * the official SDK itself (fromAwsSdk), not on replayable's runtime. The bin in child
 * processes, the handler in a project folder whose node_modules holds the SDK (the
 * repository's), a store per scenario.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, REPO, runCli, startCli, type CliBuild } from "./cli-build.js";

let build: CliBuild;
/** A project with the SDK installed (node_modules -> the repository's). */
let project: string;
/** A folder without node_modules: the SDK cannot be found from there. */
let bare: string;
/** A project whose node_modules holds what Node 20 gets from `npm install @aws/durable-execution-sdk-js`: 0.0.1, a placeholder without code. */
let placeholder: string;

const FILES: Record<string, string> = {
  // Steps and a short wait; the body logs each time it starts, so replays can be counted.
  "handlers/aws-flow.ts": `import { appendFileSync } from "node:fs";
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { sdkVersion } from "./sdk-version.js";

export const handler = withDurableExecution(async (event: { orderId: string; seconds: number }, context: DurableContext) => {
  console.log("body starts for " + event.orderId);
  const charge = await context.step("charge", async () => {
    appendFileSync(process.env["CHARGE_LOG"]!, "charged " + event.orderId + "\\n");
    return { chargeId: "ch-" + event.orderId };
  });
  await context.wait("settle", { seconds: event.seconds });
  const receipt = await context.step("receipt", async () => "receipt for " + charge.chargeId);
  return { receipt, sdk: sdkVersion };
});
`,
  // A project file the handler imports: its SDK import is the official SDK too (SDK_VERSION is not in replayable's runtime).
  "handlers/sdk-version.ts": `import { SDK_VERSION } from "@aws/durable-execution-sdk-js";
export const sdkVersion: string = SDK_VERSION;
`,
  "handlers/aws-default.mjs": `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export default withDurableExecution(async (event, context) => context.step("double", async () => event.n * 2));
`,
  "handlers/aws-named.mjs": `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const orders = withDurableExecution(async () => "orders");
export const refunds = withDurableExecution(async () => "refunds");
export const version = "1";
`,
  // CommonJS: SDK_VERSION exists only in the official SDK.
  "handlers/aws-commonjs.cjs": `const sdk = require("@aws/durable-execution-sdk-js");
exports.handler = sdk.withDurableExecution(async (event, context) => {
  const doubled = await context.step("double", async () => event.n * 2);
  return { doubled, sdk: sdk.SDK_VERSION ?? "replayable" };
});
`,
  "handlers/replayable.mjs": `import { withDurableExecution } from "replayable";
export const greet = withDurableExecution(async () => "hi");
`,
};

beforeAll(async () => {
  build = await buildCli();
  project = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-aws-"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"), "dir");
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
  }
  bare = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-aws-bare-"));
  fs.writeFileSync(path.join(bare, "flow.mjs"), FILES["handlers/aws-default.mjs"]!);
  placeholder = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-aws-placeholder-"));
  const sdk = path.join(placeholder, "node_modules/@aws/durable-execution-sdk-js");
  fs.mkdirSync(sdk, { recursive: true });
  // The registry's 0.0.1 manifest: no main, no exports, no files.
  fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@aws/durable-execution-sdk-js", version: "0.0.1", scripts: { test: 'echo "Error: no test specified" && exit 0' } }));
  fs.mkdirSync(path.join(placeholder, "src"));
  fs.writeFileSync(path.join(placeholder, "src/aws-handler.ts"), FILES["handlers/aws-default.mjs"]!);
}, 60_000);

afterAll(() => {
  build?.remove();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(bare, { recursive: true, force: true });
  fs.rmSync(placeholder, { recursive: true, force: true });
});

const cli = (args: string[], cwd = project, env: NodeJS.ProcessEnv = {}) => runCli(build.bin, args, { cwd, env });
const storeFor = (name: string) => path.join(project, "stores", name, "db.sqlite");
const lines = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n");

describe("replayable run --sdk aws", () => {
  it("runs the handler on the official SDK: every wake-up replays it, each step body runs once", async () => {
    const chargeLog = path.join(project, "run-charges.log");
    const store = storeFor("run");
    const run = await cli(["run", "handlers/aws-flow.ts", "--sdk", "aws", "--id", "aws-1", "--input", '{"orderId":"o-1","seconds":1}', "--store", store], project, { CHARGE_LOG: chargeLog });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`▶ aws-1  handlers/aws-flow.ts#handler (--sdk aws)  (store ${store})`);
    expect(run.stdout).toMatch(/ {2}✓ charge +step +SUCCEEDED .* inv 1\n/);
    expect(run.stdout).toMatch(/\nwaiting: wait 'settle' ends in \d+m?s\n/);
    expect(run.stdout).toMatch(/ {2}✓ receipt +step +SUCCEEDED .* inv 2\n/);
    // Lambda-faithful: the second invocation replays the handler from its first line (replayable's runtime would resume it warm).
    expect(run.stdout.match(/body starts for o-1/g)).toHaveLength(2);
    expect(run.stdout).toContain("✓ SUCCEEDED in ");
    expect(run.stdout).toContain('"receipt": "receipt for ch-o-1"');
    const sdkVersion = (JSON.parse(fs.readFileSync(path.join(REPO, "node_modules/@aws/durable-execution-sdk-js/package.json"), "utf8")) as { version: string }).version;
    expect(run.stdout).toContain(`"sdk": "${sdkVersion}"`);
    expect(lines(chargeLog)).toEqual(["charged o-1"]);

    // The SDK's own operation ids (hashes of its position counter), not replayable's.
    const shown = JSON.parse((await cli(["show", "aws-1", "--json", "--store", store])).stdout) as { execution: { function: string; functionName: string }; operations: Array<{ record: { Id: string; Name?: string } }> };
    expect(shown.execution).toMatchObject({ function: "handlers/aws-flow.ts#handler (--sdk aws)", functionName: "handlers:aws-flow.ts@handler+aws" });
    expect(shown.operations.filter((o) => o.record.Name).map((o) => [o.record.Name, /^[0-9a-f]{16}$/.test(o.record.Id)])).toEqual([
      ["charge", true],
      ["settle", true],
      ["receipt", true],
    ]);
  });

  it("a run killed with SIGKILL during the wait is finished by resume on the official SDK: the step ran once", async () => {
    const chargeLog = path.join(project, "kill-charges.log");
    const store = storeFor("kill");
    const env = { CHARGE_LOG: chargeLog };
    const first = startCli(build.bin, ["run", "handlers/aws-flow.ts", "--sdk", "aws", "--id", "aws-k", "--input", '{"orderId":"o-k","seconds":2}', "--store", store], { cwd: project, env });
    await first.until(/waiting: wait 'settle' ends in/);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    expect(lines(chargeLog)).toEqual(["charged o-k"]);
    expect((await cli(["list", "--store", store])).stdout).toMatch(/aws-k +handlers\/aws-flow\.ts#handler \(--sdk aws\) +RUNNING/);

    // The worker knows nothing of the function until the execution comes due, then imports the file for the SDK it was started with.
    const worker = startCli(build.bin, ["resume", "--store", store], { cwd: project, env });
    await worker.until(/aws-k {2}✓ SUCCEEDED result/);
    worker.child.kill("SIGTERM");
    expect((await worker.exited).code).toBe(0);
    const { stdout, stderr } = worker.output();
    expect(stderr).toBe("");
    expect(stdout).toMatch(/aws-k +✓ receipt +step +SUCCEEDED .* inv 2/);
    expect(stdout).not.toMatch(/aws-k +✓ charge/);
    expect(stdout).toContain("body starts for o-k");
    expect(stdout).toContain('aws-k  ✓ SUCCEEDED result {"receipt":"receipt for ch-o-k","sdk":"');
    expect(lines(chargeLog)).toEqual(["charged o-k"]);

    const shown = await cli(["show", "aws-k", "--store", store]);
    expect(shown.stdout).toMatch(/✓ charge +step +SUCCEEDED .* inv 1\n/);
    expect(shown.stdout).toMatch(/✓ receipt +step +SUCCEEDED .* inv 2\n/);
    expect(shown.stdout).toContain("(2 invocations)");
  });

  it("picks the export named handler or the default one; --handler names another; the same id without --sdk aws is refused", async () => {
    const store = storeFor("exports");
    const byDefault = await cli(["run", "handlers/aws-default.mjs", "--sdk", "aws", "--id", "d-1", "--input", '{"n":21}', "--store", store]);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain("▶ d-1  handlers/aws-default.mjs#default (--sdk aws)");
    expect(byDefault.stdout).toContain("result: 42");
    const named = await cli(["run", "handlers/aws-named.mjs", "--sdk", "aws", "--handler", "refunds", "--store", store]);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('result: "refunds"');
    const clash = await cli(["run", "handlers/aws-default.mjs", "--id", "d-1", "--store", store]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("runs handlers/aws-default.mjs#default (--sdk aws), not handlers/aws-default.mjs#default: continue it with --sdk aws, as it was started.");
  });

  it("a CommonJS handler's require() of the SDK gets replayable's runtime without --sdk aws, and the official SDK with it", async () => {
    const store = storeFor("commonjs");
    const onReplayable = await cli(["run", "handlers/aws-commonjs.cjs", "--input", '{"n":4}', "--store", store]);
    expect({ code: onReplayable.code, stderr: onReplayable.stderr }).toEqual({ code: 0, stderr: expect.stringContaining("the CLI runs it on replayable's runtime") });
    expect(onReplayable.stdout).toContain('"doubled": 8');
    expect(onReplayable.stdout).toContain('"sdk": "replayable"');
    const onAws = await cli(["run", "handlers/aws-commonjs.cjs", "--sdk", "aws", "--input", '{"n":4}', "--store", store]);
    expect(onAws.code).toBe(0);
    expect(onAws.stdout).toMatch(/"sdk": "\d+\.\d+\.\d+"/);
  });

  it("explains what --sdk aws cannot run, with exit code 2", async () => {
    const store = ["--store", storeFor("errors")];
    const cases: Array<[string[], string, string]> = [
      [["run", "handlers/aws-default.mjs", "--sdk", "lambda", ...store], project, "--sdk must be aws (the official @aws/durable-execution-sdk-js) or replayable (the default); got lambda"],
      [["run", "handlers/aws-named.mjs", "--sdk", "aws", ...store], project, "handlers/aws-named.mjs has no default export or export named handler that --sdk aws can run."],
      [["run", "handlers/aws-named.mjs", "--sdk", "aws", "--handler", "version", ...store], project, "handlers/aws-named.mjs exports version, but it is not a handler --sdk aws can run (it is not a function); its function exports: orders, refunds."],
      [["run", "handlers/aws-named.mjs", "--sdk", "aws", "--handler", "nope", ...store], project, "handlers/aws-named.mjs has no export nope; its function exports: orders, refunds."],
      [["run", "handlers/replayable.mjs", "--sdk", "aws", "--handler", "greet", ...store], project, "it is a handler made with replayable's withDurableExecution: run it without --sdk aws"],
      [["run", "flow.mjs", "--sdk", "aws", "--store", path.join(bare, "db.sqlite")], bare, "--sdk aws runs the handler on the official SDK installed beside it: npm install @aws/durable-execution-sdk-js"],
    ];
    const runs = await Promise.all(cases.map(([args, cwd]) => cli(args, cwd)));
    runs.forEach((run, index) => {
      const [args, , message] = cases[index]!;
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain(message);
    });
  });

  it("names the installed placeholder SDK (0.0.1, no code) and the ways out when the SDK cannot be imported", async () => {
    const run = await cli(["run", "src/aws-handler.ts", "--sdk", "aws", "--store", path.join(placeholder, "db.sqlite")], placeholder);
    expect(run.code).toBe(2);
    const folder = path.join(placeholder, "node_modules/@aws/durable-execution-sdk-js");
    // No "type" and ES module syntax: the .ts file is an ES module (Node's detect-module), whose import finds no entry point.
    expect(run.stderr).toContain(`src/aws-handler.ts failed to load: Error: Cannot find package '${path.join(placeholder, "node_modules/@aws/durable-execution-sdk-js/index.js")}'`);
    expect(run.stderr).toContain(`@aws/durable-execution-sdk-js 0.0.1 installed at ${folder} has no code Node can import (0.0.1 is an empty placeholder`);
    // `@2` installs on Node 20 too (npm only warns about the engine): the hint asks for nothing more exact.
    expect(run.stderr).toContain("npm install @aws/durable-execution-sdk-js@2 (it declares Node 22 or later; on Node 20 it runs, npm only warns about the engine)");
    expect(run.stderr).not.toContain("exact version");
    expect(run.stderr).toContain('run it without --sdk aws (its imports of the SDK then get replayable\'s runtime), or import from "replayable".');
    // Without --sdk aws the same file runs on replayable's runtime: the placeholder is never imported.
    const onReplayable = await cli(["run", "src/aws-handler.ts", "--input", '{"n":4}', "--store", path.join(placeholder, "db.sqlite")], placeholder);
    expect(onReplayable.code).toBe(0);
    expect(onReplayable.stdout).toContain("result: 8");
  });
});
