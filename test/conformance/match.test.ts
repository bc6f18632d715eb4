import { describe, expect, it } from "vitest";
import { Bindings, generateString, matchHistory, matchResult, matchValue, resolveVariables } from "../../conformance/match.js";
import { parseRequirements } from "../../conformance/requirements.js";

const messages = (ms: Array<{ message: string }>) => ms.map((m) => m.message);

/** A seeded generator, so generated variables are reproducible in tests. */
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe("variables", () => {
  it("generates ${GEN_STR:N} as N lowercase letters and digits, fresh per run", () => {
    const a = resolveVariables({ NAME: "${GEN_STR:10}", INPUT: "${GEN_STR:8}" });
    const b = resolveVariables({ NAME: "${GEN_STR:10}" });
    expect(a.get("NAME")).toMatch(/^[a-z0-9]{10}$/);
    expect(a.get("INPUT")).toMatch(/^[a-z0-9]{8}$/);
    expect(a.get("NAME")).not.toBe(b.get("NAME"));
    expect(resolveVariables({ X: "${GEN_STR:6}" }, { random: seeded(7) }).get("X")).toBe(generateString(6, seeded(7)));
  });

  it("takes other values as written, substituting variables defined before them", () => {
    const b = resolveVariables({ A: "${GEN_STR:4}", B: "prefix-${A}", C: 3 });
    expect(b.get("B")).toBe(`prefix-${String(b.get("A"))}`);
    expect(b.get("C")).toBe(3);
  });

  it("refuses an unknown generator or a bad length", () => {
    expect(() => resolveVariables({ X: "${GEN_INT:3}" })).toThrow(/Variable X: unknown generator \$\{GEN_INT:3\}/);
    expect(() => resolveVariables({ X: "${GEN_STR:zero}" })).toThrow(/needs a positive length/);
  });

  it("substitute into Input, CallbackActions and expected values: whole placeholders keep their type", () => {
    const b = new Bindings({ NAME: "abc", N: 42, LIST: ["x"] });
    expect(b.substitute("${NAME}")).toBe("abc");
    expect(b.substitute("${N}")).toBe(42);
    expect(b.substitute({ input: ["${NAME}", "${LIST}"], greeting: "Hello, ${NAME}!", json: '"${NAME}"', n: "n=${N}" })).toEqual({
      input: ["abc", ["x"]],
      greeting: "Hello, abc!",
      json: '"abc"',
      n: "n=42",
    });
    expect(b.substitute({ CallbackName: "${NAME}", Payload: "${MISSING}", regex: "${/^a$/}", any: "*" })).toEqual({
      CallbackName: "abc",
      Payload: "${MISSING}",
      regex: "${/^a$/}",
      any: "*",
    });
  });
});

describe("matchValue", () => {
  it("'*' and {} accept any value, but the key must be there", () => {
    const b = new Bindings();
    expect(matchValue({ a: "*", b: {} }, { a: 1, b: { deep: [1] }, extra: true }, b)).toEqual([]);
    expect(messages(matchValue({ a: "*", b: {} }, { b: 1 }, b, "event"))).toEqual(['event.a: missing (expected "*")']);
  });

  it("binds a placeholder on first sight and holds later occurrences to that value", () => {
    const b = new Bindings();
    expect(matchValue([{ Id: "${ID1}" }, { Id: "${ID1}" }, { Id: "${ID2}" }], [{ Id: "x" }, { Id: "x" }, { Id: "y" }], b)).toEqual([]);
    expect(b.toJSON()).toEqual({ ID1: "x", ID2: "y" });
    expect(messages(matchValue({ Id: "${ID1}" }, { Id: "z" }, b, "event #3"))).toEqual(['event #3.Id: expected "x" (${ID1}, bound before), got "z"']);
  });

  it("compares variables bound before the run, alone or inside text", () => {
    const b = new Bindings({ INPUT_1: "abc" });
    expect(matchValue({ Name: "${INPUT_1}", Payload: '"${INPUT_1}"' }, { Name: "abc", Payload: '"abc"' }, b)).toEqual([]);
    expect(messages(matchValue({ Payload: '"${INPUT_1}"' }, { Payload: '"abd"' }, b, "r"))).toEqual(['r.Payload: expected "\\"abc\\"", got "\\"abd\\""']);
  });

  it("matches ${/regex/} against the value as text", () => {
    const b = new Bindings();
    expect(matchValue({ d: "${/^[0-5]$/}", t: "${/.*TransientError$/}" }, { d: 3, t: "my.TransientError" }, b)).toEqual([]);
    expect(messages(matchValue({ d: "${/^[0-5]$/}" }, { d: 7 }, b, "x"))).toEqual(["x.d: expected a value matching /^[0-5]$/, got 7"]);
  });

  it("treats two JSON texts that decode to equal values as equal", () => {
    const b = new Bindings();
    expect(matchValue({ Payload: '{"status": "approved"}' }, { Payload: '{"status":"approved"}' }, b)).toEqual([]);
    expect(matchValue({ Payload: '{"status": "approved"}' }, { Payload: '{"status":"denied"}' }, b)).toHaveLength(1);
    expect(matchValue("1", "1.0", b)).toEqual([]);
    expect(matchValue("a", "b", b)).toHaveLength(1);
  });

  it("decodes with ${JSON} and checks absence with ${ABSENT}", () => {
    const b = new Bindings();
    expect(matchValue({ Payload: { "${JSON}": { status: "*", tasks: "${ABSENT}" } } }, { Payload: '{"status":"ok"}' }, b)).toEqual([]);
    expect(messages(matchValue({ Payload: { "${JSON}": { tasks: "${ABSENT}" } } }, { Payload: '{"tasks":[]}' }, b, "p"))).toEqual([
      "p.Payload<json>.tasks: expected no such key, got []",
    ]);
    expect(messages(matchValue({ Payload: { "${JSON}": {} } }, { Payload: "not json" }, b, "p"))).toEqual(['p.Payload: expected JSON text, got "not json"']);
  });

  it("compares lists by length and element", () => {
    const b = new Bindings();
    expect(matchValue(["a", "*"], ["a", 2], b)).toEqual([]);
    expect(messages(matchValue(["a"], ["a", "b"], b, "l"))).toEqual(['l: expected a list of 1, got 2: ["a","b"]']);
    expect(messages(matchValue(["a", "b"], ["a", "c"], b, "l"))).toEqual(['l[1]: expected "b", got "c"']);
  });
});

const expected = parseRequirements(
  `
handler: x
ExpectedExecutionHistory:
  - EventType: StepStarted
    SubType: Step
    EventId: 2
    Id: \${ID1}
    StepStartedDetails: {}
  - EventType: StepSucceeded
    EventId: 3
    Id: \${ID1}
    StepSucceededDetails:
      Result:
        Payload: '"\${INPUT_1}"'
  - EventType: InvocationCompleted
    EventId: 5
    InvocationCompletedDetails: '*'
`,
  "h.yaml",
)[0]!.expectedHistory;

const event = (EventId: number, EventType: string, rest: Record<string, unknown> = {}) => ({ EventId, EventType, EventTimestamp: new Date(0), ...rest });

describe("matchHistory", () => {
  const actual = [
    event(1, "ExecutionStarted"),
    event(2, "StepStarted", { SubType: "Step", Id: "s1", StepStartedDetails: {} }),
    event(3, "StepSucceeded", { SubType: "Step", Id: "s1", StepSucceededDetails: { Result: { Payload: '"abc"' }, RetryDetails: { CurrentAttempt: 1 } } }),
    event(4, "WaitStarted"),
    event(5, "InvocationCompleted", { InvocationCompletedDetails: { RequestId: "r" } }),
    event(6, "ExecutionSucceeded"),
  ];

  it("matches by EventId and ignores events it does not list", () => {
    const b = new Bindings({ INPUT_1: "abc" });
    expect(matchHistory(expected, actual, b)).toEqual([]);
    expect(b.get("ID1")).toBe("s1");
  });

  it("names the event, its EventId, the path and both values", () => {
    const b = new Bindings({ INPUT_1: "xyz" });
    const [m, ...rest] = matchHistory(expected, actual, b);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ path: "expected event #2 (EventId 3, StepSucceeded).StepSucceededDetails.Result.Payload", expected: '"xyz"', actual: '"abc"' });
    expect(m!.message).toBe('expected event #2 (EventId 3, StepSucceeded).StepSucceededDetails.Result.Payload: expected "\\"xyz\\"", got "\\"abc\\""');
  });

  it("reports a different event at an EventId once, without binding from it", () => {
    const shifted = actual.map((e) => (e.EventId === 2 ? event(2, "WaitStarted", { Id: "w" }) : e));
    const b = new Bindings({ INPUT_1: "abc" });
    expect(messages(matchHistory(expected, shifted, b))).toEqual(['expected event #1 (EventId 2, StepStarted): the history has "WaitStarted" at EventId 2']);
    expect(b.get("ID1")).toBe("s1"); // bound from EventId 3, the first event of the right type
  });

  it("reports an EventId the history does not reach", () => {
    expect(messages(matchHistory(expected, actual.slice(0, 4), new Bindings({ INPUT_1: "abc" })))).toEqual([
      "expected event #3 (EventId 5, InvocationCompleted): the history has no EventId 5 (it has 4 events)",
    ]);
  });
});

describe("matchResult", () => {
  const b = new Bindings({ INPUT_1: "abc" });
  it("compares the status, and the result only when the execution succeeded", () => {
    expect(messages(matchResult({ ExecutionStatus: "SUCCEEDED", hasResult: false }, { status: "FAILED" }, b))).toEqual(["ExecutionStatus: expected SUCCEEDED, got FAILED"]);
    expect(matchResult({ ExecutionStatus: "FAILED", Result: "x", hasResult: true }, { status: "FAILED", result: "y" }, b)).toEqual([]);
    expect(matchResult(undefined, { status: "FAILED" }, b)).toEqual([]);
  });

  it("substitutes variables, compares deeply, and takes no result as null", () => {
    expect(matchResult({ ExecutionStatus: "SUCCEEDED", Result: "Hello, ${INPUT_1}!", hasResult: true }, { status: "SUCCEEDED", result: "Hello, abc!" }, b)).toEqual([]);
    expect(matchResult({ Result: { a: [1, { b: "${INPUT_1}" }] }, hasResult: true }, { status: "SUCCEEDED", result: { a: [1, { b: "abc" }] } }, b)).toEqual([]);
    expect(matchResult({ ExecutionStatus: "SUCCEEDED", Result: null, hasResult: true }, { status: "SUCCEEDED", result: undefined }, b)).toEqual([]);
    expect(messages(matchResult({ Result: [1, 2], hasResult: true }, { status: "SUCCEEDED", result: [2, 1] }, b))).toEqual(["Result: expected [1,2], got [2,1]"]);
  });
});
