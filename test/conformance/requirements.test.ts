import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareIds, DEFAULT_REQUIREMENTS_DIR, loadRequirements, parseRequirements, RequirementFormatError } from "../../conformance/requirements.js";

const minimal = (extra = "") => `
description: minimal
handler: |
  A step.
Input:
ExpectedResult:
  ExecutionStatus: SUCCEEDED
ExpectedExecutionHistory:
  - EventType: StepStarted
    EventId: 2
    Id: \${ID1}
${extra}`;

const errorOf = (fn: () => unknown): RequirementFormatError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RequirementFormatError);
    return error as RequirementFormatError;
  }
  throw new Error("expected a RequirementFormatError");
};

describe("parseRequirements", () => {
  it("reads one document as the file's requirement, named by the file's stem", () => {
    const [req, ...rest] = parseRequirements(`---\n${minimal()}`, "/reqs/step/1-2.yaml", "step");
    expect(rest).toEqual([]);
    expect(req).toMatchObject({ id: "1-2", suite: "step", document: 1, description: "minimal", input: null, optional: false, asyncInvoke: false });
    expect(req!.expectedResult).toEqual({ ExecutionStatus: "SUCCEEDED", Result: undefined, hasResult: false });
    expect(req!.expectedHistory).toEqual([{ EventType: "StepStarted", EventId: 2, Id: "${ID1}" }]);
  });

  it("reads several documents of one file as <stem>.<n>, skipping empty documents", () => {
    const text = `${minimal()}\n---\n${minimal("optional: true")}\n---\n`;
    const reqs = parseRequirements(text, "/reqs/wait/2-9.yaml", "wait");
    expect(reqs.map((r) => [r.id, r.document, r.optional])).toEqual([
      ["2-9.1", 1, false],
      ["2-9.2", 2, true],
    ]);
  });

  it("tells a missing Result from `Result:` with no value (an expected null)", () => {
    const [withNull] = parseRequirements(minimal().replace("ExecutionStatus: SUCCEEDED", "ExecutionStatus: SUCCEEDED\n  Result:"), "a.yaml");
    expect(withNull!.expectedResult).toEqual({ ExecutionStatus: "SUCCEEDED", Result: null, hasResult: true });
  });

  it("reads values as PyYAML does: yes/no/on/off are booleans, y and n are text", () => {
    const [req] = parseRequirements(minimal("AsyncInvoke: yes\nExpectedLogs:\n  - match:\n      n: 1\n      y: on"), "a.yaml");
    expect(req!.asyncInvoke).toBe(true);
    expect(req!.expectedLogs).toEqual([{ match: { n: 1, y: true } }]);
  });

  it("keeps keys it does not interpret, and names them", () => {
    const [req] = parseRequirements(minimal("DefaultRetryParameters:\n  MaxAttempts: 6\nFutureKey: 1"), "a.yaml");
    expect(req!.unknownKeys).toEqual(["DefaultRetryParameters", "FutureKey"]);
    expect(req!.extra).toEqual({ DefaultRetryParameters: { MaxAttempts: 6 }, FutureKey: 1 });
  });

  it("reads variables and callback actions, lower-casing the operation and defaulting the delay", () => {
    const [req] = parseRequirements(
      minimal("Variables:\n  CB: ${GEN_STR:10}\nCallbackActions:\n  - CallbackName: ${CB}\n    Operation: SUCCESS\n    Payload: 42\n  - CallbackName: '*'\n    Operation: heartbeat"),
      "a.yaml",
    );
    expect(req!.variables).toEqual({ CB: "${GEN_STR:10}" });
    expect(req!.callbackActions).toEqual([
      { CallbackName: "${CB}", Operation: "success", Payload: 42, Delay: 0 },
      { CallbackName: "*", Operation: "heartbeat", Payload: undefined, Delay: 0 },
    ]);
  });

  it.each([
    ["invalid YAML", `${minimal()}\n---\nhandler: [unclosed\n`, /^\/reqs\/x\/1-1\.yaml, document 2: invalid YAML at line \d+/],
    ["a document that is not a mapping", "---\n- a\n- b\n", /document 1: a requirement must be a mapping of keys, got a list/],
    ["no handler", "ExpectedResult:\n  ExecutionStatus: FAILED\n", /document 1: missing required key "handler"/],
    ["no expectation", "handler: x\n", /needs "ExpectedExecutionHistory" or "ExpectedResult"/],
    ["an event without EventId", minimal().replace("EventId: 2", "EventIdd: 2"), /"ExpectedExecutionHistory"\[0\] \(StepStarted\) needs an "EventId"/],
    ["a repeated EventId", `${minimal()}  - EventType: StepSucceeded\n    EventId: 2\n`, /"ExpectedExecutionHistory"\[1\] \(StepSucceeded\) repeats EventId 2/],
    ["an unknown status", minimal().replace("SUCCEEDED", "DONE"), /"ExpectedResult.ExecutionStatus" must be one of SUCCEEDED, FAILED/],
    ["an unknown callback operation", minimal("CallbackActions:\n  - CallbackName: a\n    Operation: cancel"), /"CallbackActions"\[0\]: "Operation" must be one of success, failure, heartbeat, got string "cancel"/],
    ["a failure payload that is not a mapping", minimal("CallbackActions:\n  - CallbackName: a\n    Operation: failure\n    Payload: nope"), /a failure "Payload" must be a mapping/],
    ["a handler that is not text", minimal().replace("handler: |\n  A step.", "handler: 3"), /"handler" must be text, got number 3/],
  ])("names the file and the document for %s", (_what, text, message) => {
    expect(errorOf(() => parseRequirements(text, "/reqs/x/1-1.yaml", "x")).message).toMatch(message);
  });
});

describe("loadRequirements", () => {
  const root = mkdtempSync(join(tmpdir(), "requirements-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("step/1-11.yaml", minimal());
  write("step/1-2.yaml", minimal());
  write("wait/nested/2-1.yml", minimal());
  write("README.yaml", "not: a requirement");
  write("step/notes.txt", "ignored");

  it("reads every suite's files, suite = first directory, ids in numeric order", () => {
    const reqs = loadRequirements(root);
    expect(reqs.map((r) => `${r.suite}/${r.id}`)).toEqual(["step/1-2", "step/1-11", "wait/2-1"]);
    expect(loadRequirements(root, { suites: ["wait"] }).map((r) => r.id)).toEqual(["2-1"]);
  });

  it("refuses two requirements with one id", () => {
    write("wait/1-2.yaml", minimal());
    try {
      expect(() => loadRequirements(root)).toThrow(/requirement id 1-2 is also used by .*step\/1-2\.yaml/);
    } finally {
      rmSync(join(root, "wait/1-2.yaml"));
    }
  });

  it("orders ids numerically", () => {
    expect(["1-11", "10-1", "1-2", "2-1"].sort(compareIds)).toEqual(["1-2", "1-11", "2-1", "10-1"]);
  });
});

describe("AWS's requirement files", () => {
  const reqs = existsSync(DEFAULT_REQUIREMENTS_DIR) ? loadRequirements(DEFAULT_REQUIREMENTS_DIR) : [];

  it("all load, with expectations", () => {
    expect(reqs.length).toBeGreaterThanOrEqual(140);
    for (const r of reqs) expect(r.expectedHistory.length + (r.expectedResult ? 1 : 0), r.id).toBeGreaterThan(0);
  });

  it("list history events by increasing EventId from 2 (EventId 1, ExecutionStarted, is never listed)", () => {
    for (const r of reqs) {
      const ids = r.expectedHistory.map((e) => e.EventId);
      if (ids.length === 0) continue;
      expect(ids[0], r.id).toBe(2);
      expect([...ids].sort((a, b) => a - b), r.id).toEqual(ids);
    }
  });
});
