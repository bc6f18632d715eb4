import { describe, expect, it } from "vitest";
import { captureOutput, matchLogs, parseLogLines } from "../../conformance/logs.js";
import { Bindings } from "../../conformance/match.js";

const lines = [
  '{"plugin":"CONFPLUGIN","hook":"invocation-start","first":true}',
  '{"level":"INFO","message":"Greeting step running for: abc123"}',
  "plain text line",
  '{"plugin":"CONFPLUGIN","hook":"attempt-start","n":1,"op":"step#0"}',
  '{"plugin":"CONFPLUGIN","hook":"attempt-end","n":1,"op":"step#0","outcome":"FAILED"}',
  '{"plugin":"CONFPLUGIN","hook":"invocation-end","status":"SUCCEEDED","operationsCount":2}',
  "",
];

describe("ExpectedLogs", () => {
  it("reads JSON lines as their fields and any other line as a message", () => {
    const records = parseLogLines(lines);
    expect(records).toHaveLength(6);
    expect(records[2]!.fields).toEqual({ message: "plain text line" });
    expect(records[3]!.fields).toMatchObject({ hook: "attempt-start", n: 1 });
  });

  it("counts records matching every key: equality, /regex/ on the text, ${VAR} from the bindings", () => {
    const bindings = new Bindings({ INPUT_1: "abc123", ID1: "step#0" });
    const ok = [
      { match: { plugin: "CONFPLUGIN", hook: "invocation-start", first: true }, count: 1 },
      { match: { message: "/Greeting step running for: ${INPUT_1}/" }, count: 1 },
      { match: { hook: "attempt-end", op: "${ID1}", outcome: "FAILED" }, count: 1 },
      { match: { hook: "invocation-end", operationsCount: "/^\\d+$/" }, count: 1 },
      { match: { hook: "invocation-start", first: false }, count: 0 },
      { match: { plugin: "CONFPLUGIN" }, min_count: 3 },
      { match: { message: "/plain/" } },
    ];
    expect(matchLogs(ok, lines, bindings)).toEqual([]);
    const bad = matchLogs([{ match: { plugin: "CONFPLUGIN" }, count: 2 }, { match: { hook: "nope" }, min_count: 1 }, { match: { missingKey: "/.*/" }, count: 1 }], lines, bindings);
    expect(bad.map((m) => m.path)).toEqual(["ExpectedLogs[0]", "ExpectedLogs[1]", "ExpectedLogs[2]"]);
    expect(bad[0]!.message).toMatch(/expected 2 log records matching .*, found 4/);
  });

  it("checks order with after: every matching record follows a record matching each of them", () => {
    const bindings = new Bindings({ INPUT_1: "abc123" });
    const after = (before: Record<string, unknown>) => [{ match: { message: "/running for/" }, count: 1, after: [before] }];
    expect(matchLogs(after({ hook: "invocation-start", first: true }), lines, bindings)).toEqual([]);
    expect(matchLogs(after({ hook: "invocation-end" }), lines, bindings)[0]!.message).toMatch(/come before any record matching/);
    expect(matchLogs(after({ hook: "never" }), lines, bindings)[0]!.message).toMatch(/there is none/);
  });

  it("reports a variable the history did not bind instead of matching it literally", () => {
    const result = matchLogs([{ match: { op: "${ID9}" }, count: 0 }], lines, new Bindings());
    expect(result[0]!.message).toMatch(/\$\{ID9\} is not bound/);
  });

  it("captures what is written to stdout and stderr, line by line", async () => {
    const { value, lines: captured } = await captureOutput(async () => {
      process.stdout.write("one\ntw");
      process.stdout.write("o\n");
      console.error("three");
      process.stdout.write("unterminated");
      return 42;
    });
    expect(value).toBe(42);
    expect(captured).toEqual(["one", "two", "three", "unterminated"]);
  });
});
