/**
 * `replayable run` as a user runs it: the bin in a child process, handler files on disk, a
 * store file per test. Output is plain (stdout is a pipe).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, REPO, runCli, startCli, type CliBuild } from "./cli-build.js";

let build: CliBuild;
let dir: string;

const HANDLERS: Record<string, string> = {
  "handlers/greet.mjs": `import { withDurableExecution } from "replayable";
export const greet = withDurableExecution(async (event, context) => {
  const greeting = await context.step("greet", async () => "hello " + event.name);
  return { greeting };
});
`,
  "handlers/two.mjs": `import { withDurableExecution } from "replayable";
export const first = withDurableExecution(async () => "first");
export const second = withDurableExecution(async (event, context) => context.step("second-step", async () => "second"));
export const plain = async () => "not durable";
`,
  "handlers/none.mjs": `export const answer = 42;\nexport function helper() {}\n`,
  "handlers/throws.mjs": `throw new Error("boom at import");\n`,
  "handlers/aws.ts": `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {
  return context.step("double", async () => event.n * 2);
});
`,
  "handlers/aws-missing-export.mjs": `import { withDurableExecution, NotInReplayable } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async () => NotInReplayable);
`,
  "handlers/long-wait.mjs": `import { withDurableExecution } from "replayable";
export const longWait = withDurableExecution(async (event, context) => {
  await context.wait("a-minute", { seconds: 60 });
  return "done";
});
`,
  // Unnamed operations: the transformer names them, in `replayable run` as in `replayable ids`.
  "handlers/unnamed.mjs": `import { withDurableExecution } from "replayable";
export const h = withDurableExecution(async (event, context) => {
  const a = await context.step(async () => event.n + 1);
  await context.wait({ seconds: 1 });
  const b = await context.step(async () => a * 2);
  return b;
});
`,
  "handlers/unnamed-commonjs.cjs": `const { withDurableExecution } = require("replayable");
exports.h = withDurableExecution(async (event, context) => {
  const a = await context.step(async () => event.n + 1);
  return a;
});
`,
  // Loading it would print the transformer's warning (Date.now() outside a step) and throw.
  "handlers/noisy.ts": `import { withDurableExecution } from "replayable";
export const noisy = withDurableExecution(async (event: unknown, context) => Date.now());
throw new Error("the handler file was loaded");
`,
  "not-a-store.sqlite": "these are not the bytes of an SQLite database\n",
};

beforeAll(async () => {
  build = await buildCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-run-"));
  for (const [file, text] of Object.entries(HANDLERS)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  // replayable installed in the project, as CommonJS handlers require() it (the built package).
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(build.root, path.join(dir, "node_modules/replayable"), "dir");
}, 60_000);

afterAll(() => {
  build?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], cwd = dir, env: NodeJS.ProcessEnv = {}) => runCli(build.bin, args, { cwd, env });
const tempStore = (name: string) => path.join(dir, "stores", name, "db.sqlite");

describe("replayable run", () => {
  it("runs the payment example (TypeScript) to its result: the timeline, the wait, the result, exit 0", async () => {
    const chargeLog = path.join(dir, "payment-charges.log");
    const run = await cli(
      ["run", "examples/run/order-payment.ts", "--id", "pay-1", "--input", '{"orderId":"o-1","amountCents":4200,"settlementSeconds":1}', "--store", tempStore("payment")],
      REPO,
      { CHARGE_LOG: chargeLog },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`▶ pay-1  examples/run/order-payment.ts#orderPayment  (store ${tempStore("payment")})`);
    expect(run.stdout).toMatch(/ {2}✓ charge +step +SUCCEEDED +\d+ms +attempt 1 +inv 1\n/);
    expect(run.stdout).toMatch(/ {2}… settlement +wait +STARTED +inv 1 +until \d\d:\d\d:\d\d\n/);
    expect(run.stdout).toMatch(/\nwaiting: wait 'settlement' ends in \d+m?s\n/);
    expect(run.stdout).toMatch(/ {2}✓ receipt +step +SUCCEEDED .* inv 2\n/);
    expect(run.stdout).toContain("✓ SUCCEEDED in ");
    expect(run.stdout).toContain('"receipt": "Order o-1: paid 42.00 (charge ch_');
    expect(fs.readFileSync(chargeLog, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("exits 1 with the error when the execution fails (the saga example, compensated)", async () => {
    const run = await cli(["run", "examples/run/trip-saga.ts", "--input", '{"tripId":"t-1","failAt":"car"}', "--store", tempStore("saga")], REPO);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ book-car +step +FAILED .*no car available for trip t-1/);
    expect(run.stdout.indexOf("cancel-hotel")).toBeLessThan(run.stdout.indexOf("cancel-flight"));
    expect(run.stdout).toContain("✗ FAILED in ");
    expect(run.stdout).toMatch(/error: trip t-1 not booked \(no car available for trip t-1\); cancelled flight-\w+, hotel-\w+/);
  });

  it("runs a JavaScript handler with the default store .replayable/db.sqlite under the working directory", async () => {
    const run = await cli(["run", "handlers/greet.mjs", "--input", '{"name":"Ada"}', "--id", "greet-1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(store .replayable/db.sqlite)");
    expect(run.stdout).toContain('"greeting": "hello Ada"');
    expect(fs.existsSync(path.join(dir, ".replayable/db.sqlite"))).toBe(true);
    // The same id again: the finished execution is shown, not run twice.
    const again = await cli(["run", "handlers/greet.mjs", "--id", "greet-1", "--input", '{"name":"Bob"}']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already in the store: SUCCEEDED");
    expect(again.stdout).toContain("--input ignored");
    expect(again.stdout).toContain('"greeting": "hello Ada"');
  });

  it("names unnamed operations of JavaScript handlers (ES module and CommonJS) as `replayable ids` does", async () => {
    const store = tempStore("unnamed");
    for (const [file, id] of [
      ["handlers/unnamed.mjs", "unnamed-esm"],
      ["handlers/unnamed-commonjs.cjs", "unnamed-cjs"],
    ] as const) {
      const run = await cli(["run", file, "--id", id, "--input", '{"n":1}', "--store", store]);
      expect({ file, code: run.code, stderr: run.stderr }).toEqual({ file, code: 0, stderr: "" });
      const shown = JSON.parse((await cli(["show", id, "--json", "--store", store])).stdout) as { operations: Array<{ record: { Type: string; Name?: string } }> };
      const ids = JSON.parse((await cli(["ids", "--json", file])).stdout) as Array<{ id: string }>;
      const operations = shown.operations.filter((operation) => operation.record.Type !== "EXECUTION");
      expect(operations.map((operation) => operation.record.Name)).toEqual(ids.map((entry) => entry.id));
    }
    expect(JSON.parse((await cli(["ids", "--json", "handlers/unnamed.mjs"])).stdout).map((entry: { id: string }) => entry.id)).toEqual(["h/a", "h/wait", "h/b"]);
  });

  it("gives require() of replayable and the AWS SDK in a CommonJS handler the CLI's runtime, in a project without either installed", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-run-bare-"));
    try {
      fs.writeFileSync(path.join(bare, "flow.cjs"), HANDLERS["handlers/unnamed-commonjs.cjs"]!);
      // The project files it require()s get the runtime too.
      fs.writeFileSync(path.join(bare, "aws-flow.cjs"), 'exports.handler = require("./aws-wrap.cjs").wrap((event, context) => context.step(async () => event.n * 3));\n');
      fs.writeFileSync(path.join(bare, "aws-wrap.cjs"), 'exports.wrap = require("@aws/durable-execution-sdk-js").withDurableExecution;\n');
      const ran = await cli(["run", "flow.cjs", "--input", '{"n":1}', "--store", path.join(bare, "db.sqlite")], bare);
      expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: "" });
      expect(ran.stdout).toContain("result: 2");
      const aws = await cli(["run", "aws-flow.cjs", "--input", '{"n":2}', "--store", path.join(bare, "db.sqlite")], bare);
      expect({ code: aws.code, stdout: aws.stdout }).toMatchObject({ code: 0, stdout: expect.stringContaining("result: 6") });
      // Under --sdk aws require() is Node's own resolution, and the CLI says what to do.
      const missing = await cli(["run", "flow.cjs", "--sdk", "aws", "--store", path.join(bare, "db.sqlite")], bare);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("replayable run: flow.cjs failed to load: Error: Cannot find module 'replayable'");
      expect(missing.stderr).toContain('Under --sdk aws, require() resolves replayable from its own project: npm install replayable there, or import it');
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("runs a .ts handler in a CommonJS package as CommonJS (__dirname, import = require, extensionless imports) on the CLI's runtime", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-cli-run-cjs-ts-"));
    try {
      // No "type" in package.json, and no replayable or SDK installed.
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "cjs-project" }));
      fs.mkdirSync(path.join(project, "src"));
      fs.writeFileSync(path.join(project, "src/helper.ts"), "export const label = (n: number): string => `order ${n}`;\n");
      fs.writeFileSync(
        path.join(project, "src/handler.ts"),
        [
          'import path = require("node:path");',
          'import { label } from "./helper";',
          'import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";',
          "",
          "export const handler = withDurableExecution(async (event: { n: number }, context: DurableContext) => {",
          "  return context.step(async () => `${label(event.n)} in ${path.basename(__dirname)}`);",
          "});",
          "",
        ].join("\n"),
      );
      const run = await cli(["run", "src/handler.ts", "--input", '{"n":5}', "--store", path.join(project, "db.sqlite")], project);
      expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: 0, stdout: expect.stringContaining('result: "order 5 in src"') });
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("checks every argument before it loads the handler file (which runs its code and prints the transformer's warnings)", async () => {
    const store = ["--store", tempStore("checked-first")];
    const badId = await cli(["run", "handlers/noisy.ts", "--id", "a/b", ...store]);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/^replayable run: Invalid execution id "a\/b"/);
    expect(badId.stderr).not.toContain("the handler file was loaded");
    expect(badId.stderr).not.toContain("Date.now()");
    fs.writeFileSync(path.join(dir, "too-big.json"), JSON.stringify({ blob: "x".repeat(300 * 1024) }));
    const tooBig = await cli(["run", "handlers/noisy.ts", "--input", "@too-big.json", ...store]);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toMatch(/^replayable run: --input @too-big.json: too-big.json holds more than the 262144-byte payload limit/);
    expect(tooBig.stderr).not.toContain("the handler file was loaded");
  });

  it("--no-follow starts the execution and exits; --handler picks one of several handlers", async () => {
    const store = tempStore("no-follow");
    const run = await cli(["run", "handlers/two.mjs", "--handler", "second", "--id", "later", "--store", store, "--no-follow"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("▶ later  handlers/two.mjs#second");
    expect(run.stdout).toContain(`a worker runs it: replayable resume --store ${store}`);
    const list = await cli(["list", "--store", store]);
    expect(list.stdout).toMatch(/later +handlers\/two\.mjs#second +RUNNING/);
    // Another function under the same id is refused.
    const clash = await cli(["run", "handlers/greet.mjs", "--id", "later", "--store", store]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("Execution later already exists");
    expect(clash.stderr).toContain("runs handlers/two.mjs#second, not handlers/greet.mjs#greet: pick another --id.");
  });

  it("runs a handler written for @aws/durable-execution-sdk-js on replayable's runtime, and says so", async () => {
    const run = await cli(["run", "handlers/aws.ts", "--input", '{"n":21}', "--store", tempStore("aws")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("note: handlers/aws.ts imports @aws/durable-execution-sdk-js; the CLI runs it on replayable's runtime, which has the same API (--sdk aws runs it on the official SDK).");
    expect(run.stdout).toContain("result: 42");
  });

  it("Ctrl-C while it waits stops following (exit 130) and leaves the execution in the store", async () => {
    const store = tempStore("interrupt");
    const run = startCli(build.bin, ["run", "handlers/long-wait.mjs", "--id", "long-1", "--store", store], { cwd: dir });
    await run.until(/waiting: wait 'a-minute' ends in/);
    run.child.kill("SIGINT");
    expect((await run.exited).code).toBe(130);
    expect(run.output().stderr).toContain(`stopped following long-1; it stays in the store and continues where it left off with:\n  replayable resume --store ${store}     or     replayable run handlers/long-wait.mjs --id long-1 --store ${store}\n`);
    const shown = await cli(["show", "long-1", "--store", store]);
    expect(shown.stdout).toContain("status       RUNNING");
    expect(shown.stdout).toMatch(/waiting: wait 'a-minute' ends in (\d+s|1m 00s)\n/);
  });

  it("explains each unusable command line, file or store, with its exit code", async () => {
    const store = ["--store", tempStore("errors")];
    const cases: Array<[string[], number, string | RegExp]> = [
      [["run"], 2, "replayable run: missing the handler file: replayable run <file.ts>"],
      [["run", "handlers/missing.ts", ...store], 2, `No such file: handlers/missing.ts (looked in ${dir}).`],
      [["run", "handlers", ...store], 2, "handlers is a directory"],
      [["run", "not-a-store.sqlite", ...store], 2, "is not a handler file the CLI can load: use a .ts, .mts, .cts, .tsx, .js, .mjs, .cjs or .jsx file."],
      [["run", "handlers/none.mjs", ...store], 2, 'handlers/none.mjs exports no durable handler. Export one made with withDurableExecution from "replayable"'],
      [["run", "handlers/two.mjs", ...store], 2, "handlers/two.mjs exports 2 durable handlers (first, second): pick one with --handler <name>."],
      [["run", "handlers/two.mjs", "--handler", "third", ...store], 2, "handlers/two.mjs has no export third; its durable handlers: first, second."],
      [["run", "handlers/two.mjs", "--handler", "plain", ...store], 2, "handlers/two.mjs exports plain, but it is not a durable handler"],
      [["run", "handlers/greet.mjs", "--input", "{name: Ada}", ...store], 2, `--input must be JSON`],
      [["run", "handlers/greet.mjs", "--input", "@missing.json", ...store], 2, "--input @missing.json: cannot read missing.json"],
      [["run", "handlers/throws.mjs", ...store], 2, "handlers/throws.mjs failed to load: Error: boom at import"],
      [["run", "handlers/aws-missing-export.mjs", ...store], 2, "replayable's runtime, which has no export NotInReplayable"],
      [["run", "handlers/greet.mjs", "--id", "has spaces", ...store], 2, 'Invalid execution id "has spaces"'],
      [["run", "handlers/greet.mjs", "--bogus", ...store], 2, "replayable run: unknown option --bogus"],
      [["run", "handlers/greet.mjs", "--store", "not-a-store.sqlite"], 4, "not-a-store.sqlite is not a replayable store: it is not an SQLite database (bad header)."],
      [["frobnicate"], 2, "replayable: unknown command frobnicate"],
      // Names every object inherits are no commands either.
      [["constructor"], 2, "replayable: unknown command constructor"],
      [["toString"], 2, "replayable: unknown command toString"],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    runs.forEach((run, index) => {
      const [args, code, message] = cases[index]!;
      expect({ args, code: run.code }).toEqual({ args, code });
      if (typeof message === "string") expect(run.stderr).toContain(message);
      else expect(run.stderr).toMatch(message);
      expect(run.stderr.split("\n").filter((line) => /^\s+at .*dist\/cli\//.test(line))).toEqual([]);
      // The command is named once: `replayable run: ...`, never `replayable: replayable run: ...`.
      expect(run.stderr).not.toMatch(/replayable:? replayable/);
    });
  });

  it("names the command once in every command's argument errors", async () => {
    const store = ["--store", tempStore("argument-errors")];
    const cases: Array<[string[], string]> = [
      [["run", "--bogus"], "replayable run: unknown option --bogus\n"],
      [["run"], "replayable run: missing the handler file: replayable run <file.ts>\n"],
      [["run", "a.mjs", "b.mjs"], "replayable run: unexpected argument b.mjs\n"],
      [["list", "--bogus", ...store], "replayable list: unknown option --bogus\n"],
      [["show", ...store], "replayable show: missing the execution id"],
      [["callback", "cb-1", ...store], "replayable callback: give exactly one of --succeed <json>, --fail <message>, --heartbeat\n"],
      [["resume", "--bogus", ...store], "replayable resume: unknown option --bogus\n"],
      [["ids", "--bogus"], "replayable ids: unknown option --bogus\n"],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    runs.forEach((run, index) => {
      const [args, first] = cases[index]!;
      expect({ args, code: run.code, start: run.stderr.slice(0, first.length) }).toEqual({ args, code: 2, start: first });
      expect(run.stderr).not.toMatch(/replayable:? replayable/);
    });
  });

  it("prints its usage with --help (exit 0) and the command list without arguments", async () => {
    const help = await cli(["run", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: replayable run <file>");
    const top = await cli([]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Usage: replayable <command> [options]");
    expect(top.stdout).toContain("Exit codes: 0 ok, 1 the execution failed,");
  });
});
