// Property: a random durable handler program run on replayable's LocalDurableTestRunner, with
// the replay check on, returns what a direct interpretation of the same program data returns,
// and every step body and waitForCallback submitter runs once per attempt, no more.
// Programs (handler-programs.ts) nest steps that fail and retry (both semantics), waits,
// waitForCondition, child contexts, map and parallel (NESTED or FLAT, bounded concurrency,
// failure tolerances, batches that complete early), operations started together in one
// context, and callbacks (createCallback, waitForCallback) that the test completes with success
// or failure, that time out, or whose submitter fails; each runs with replay or warm resumption,
// and some with a payload limit small enough that replays rebuild results from children.
//
// Fixed seed, so `npm test` is reproducible. Another seed or more runs:
//   PROPERTY_SEED=123 PROPERTY_RUNS=5000 npx vitest run test/reliability/property-handlers.test.ts
// A failure prints the seed, the path and the shrunk program; PROPERTY_SEED=<seed>
// PROPERTY_PATH=<path> replays exactly that counterexample.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalDurableTestRunner, WaitingOperationStatus } from "../../testing/index.js";
import {
  answeredCallbacks,
  buildHandler,
  callbackName,
  callbackRejection,
  callbackValue,
  interpret,
  matches,
  printable,
  programArbitrary,
  renderProgram,
  STORED,
  type Interpretation,
  type Program,
} from "./handler-programs.js";

const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
// 1,000 runs take about 10 s on a loaded 2-core machine; more runs get more time.
const TIMEOUT_MS = Math.max(120_000, NUM_RUNS * 100);

interface Observed {
  /** SUCCEEDED: the result; FAILED: the execution's error message (the record keeps no kind). */
  outcome: { ok: unknown } | { failed: string } | { status: string };
  bodyRuns: Map<string, number>;
  /** With a payload limit: the values the handler returned (its result is "stored"). */
  returned: unknown[];
}

/** Runs a program on the test runner, playing the outside world for its callbacks. */
async function runOnRunner(program: Program): Promise<Observed> {
  const bodyRuns = new Map<string, number>();
  const returned: unknown[] = [];
  const runner = new LocalDurableTestRunner({ handlerFunction: buildHandler(program, bodyRuns, returned as never[]), resumption: program.resumption, startTime: 0 });
  const execution = runner.run();
  const answers = answeredCallbacks(program).map(async (node) => {
    try {
      const view = await runner.getOperation(callbackName(node.id)).waitForData(node.api === "waitFor" ? WaitingOperationStatus.SUBMITTED : WaitingOperationStatus.STARTED);
      if (node.outcome === "succeed") await view.sendCallbackSuccess(callbackValue(node.id));
      else await view.sendCallbackFailure({ ErrorMessage: callbackRejection(node.id), ErrorType: "Rejected" });
    } catch {
      // Not reached (an earlier node failed, or a batch completed without it): the runner
      // rejects the wait when the execution ends.
    }
  });
  const [result] = await Promise.all([execution, ...answers]);
  const status = result.getStatus();
  const outcome = status === "SUCCEEDED" ? { ok: result.getResult() } : status === "FAILED" ? { failed: result.getError().errorMessage ?? "" } : { status: String(status) };
  return { outcome, bodyRuns: new Map(bodyRuns), returned: [...returned] };
}

/** Where the observed run differs from the interpretation; empty when it does not. */
function differences(program: Program, expected: Interpretation, observed: Observed): string[] {
  const found: string[] = [];
  const want = expected.outcome;
  const got = observed.outcome;
  const limited = program.maxPayloadBytes !== undefined;
  if ("err" in want) {
    if (!("failed" in got) || got.failed !== want.err.message) found.push(`expected the execution to fail with "${want.err.message}", got ${JSON.stringify(got)}`);
  } else if (limited) {
    if (!("ok" in got) || got.ok !== STORED) found.push(`expected the execution to succeed with "${STORED}", got ${JSON.stringify(got)}`);
    if (observed.returned.length === 0) found.push("the handler never returned a value");
    for (const value of observed.returned.filter((value) => !matches(want.ok, value)).slice(0, 1)) {
      found.push(`expected the handler to return\n${JSON.stringify(printable(want.ok), null, 1)}\ngot\n${JSON.stringify(value, null, 1)}`);
    }
  } else if (!("ok" in got) || !matches(want.ok, got.ok)) {
    found.push(`expected the result\n${JSON.stringify(printable(want.ok), null, 1)}\ngot\n${JSON.stringify("ok" in got ? got.ok : got, null, 1)}`);
  }
  const keys = new Set([...expected.bodyRuns.keys(), ...observed.bodyRuns.keys()]);
  for (const key of [...keys].sort()) {
    const [min, max] = expected.bodyRuns.get(key) ?? [0, 0];
    const runs = observed.bodyRuns.get(key) ?? 0;
    if (runs < min || runs > max) found.push(`${key} body ran ${runs} times, expected ${min === max ? min : `${min} to ${max}`}`);
  }
  return found;
}

describe("random handler programs", () => {
  it(`run on LocalDurableTestRunner (replay check on) as their direct interpretation says (seed ${SEED}, ${NUM_RUNS} runs)`, async () => {
    console.log(`property-handlers: seed ${SEED}, numRuns ${NUM_RUNS}${process.env.PROPERTY_PATH ? `, path ${process.env.PROPERTY_PATH}` : ""}`);
    await fc.assert(
      fc.asyncProperty(programArbitrary(), async (program) => {
        const found = differences(program, interpret(program), await runOnRunner(program));
        expect(found, `program:\n${renderProgram(program)}\n${found.join("\n")}`).toEqual([]);
      }),
      { seed: SEED, numRuns: NUM_RUNS, ...(process.env.PROPERTY_PATH ? { path: process.env.PROPERTY_PATH } : {}) },
    );
  }, TIMEOUT_MS);

  it("interprets a hand-written program as expected (the interpreter itself)", () => {
    const program: Program = {
      resumption: "replay",
      body: [
        { type: "step", id: 0, name: "a", fails: 1, maxAttempts: 3, atMostOnce: false, catch: false },
        { type: "step", id: 1, name: undefined, fails: 2, maxAttempts: 2, atMostOnce: true, catch: true },
        { type: "callback", id: 2, api: "waitFor", outcome: "timeout", submitterFails: false, catch: true },
        {
          type: "map",
          id: 3,
          name: "m",
          maxConcurrency: 1,
          config: { kind: "count", count: 1 },
          flat: false,
          items: [[{ type: "throw", id: 4, catch: false }], [{ type: "condition", id: 5, name: undefined, target: 2 }]],
        },
        {
          type: "parallel",
          id: 6,
          name: undefined,
          namedBranches: false,
          maxConcurrency: undefined,
          config: { kind: "default" },
          flat: true,
          branches: [[{ type: "step", id: 7, name: undefined, fails: 0, maxAttempts: 1, atMostOnce: false, catch: false }], [{ type: "throw", id: 8, catch: false }]],
        },
      ],
    };
    const { outcome, bodyRuns } = interpret(program);
    expect("ok" in outcome && printable(outcome.ok)).toEqual([
      { step: 0, attempt: 2 },
      { caught: { kind: "step", message: "fail-1-2" } },
      { caught: { kind: "callback-timeout", message: "Callback timed out" } },
      { reason: "ALL_COMPLETED", items: [{ i: 0, err: { kind: "child", message: "boom-4" } }, { i: 1, ok: [2] }] },
      {
        reason: "FAILURE_TOLERANCE_EXCEEDED",
        "items (a prefix; exactly 1 failed; each other one as below or { i, started: true })": [
          { i: 0, ok: [{ step: 7, attempt: 1 }] },
          { i: 1, err: { kind: "child", message: "boom-8" } },
        ],
      },
    ]);
    expect(Object.fromEntries(bodyRuns)).toEqual({ "step:0": [2, 2], "step:1": [2, 2], "submit:2": [1, 1], "step:7": [0, 1] });
    // The parallel may finish with the step's branch done or still running, never with both failed.
    const early = "ok" in outcome && Array.isArray(outcome.ok) ? outcome.ok[4]! : null;
    const failed = { i: 1, err: { kind: "child", message: "boom-8" } };
    const reason = "FAILURE_TOLERANCE_EXCEEDED";
    expect(matches(early, { reason, items: [{ i: 0, started: true }, failed] })).toBe(true);
    expect(matches(early, { reason, items: [{ i: 0, ok: [{ step: 7, attempt: 1 }] }, failed] })).toBe(true);
    expect(matches(early, { reason, items: [{ i: 0, started: true }, { i: 1, started: true }] })).toBe(false);
    expect(matches(early, { reason, items: [failed] })).toBe(false); // not a prefix
    expect(matches(early, { reason: "ALL_COMPLETED", items: [{ i: 0, ok: [{ step: 7, attempt: 1 }] }, failed] })).toBe(false);
  });
});
