import { describe, expect, it } from "vitest";
import { displayFunction, functionNameOf, functionRefOf } from "../../cli/function-ref.js";
import { formatRow, formatWaiting } from "../../cli/render.js";
import { createStyle, truncate, visibleLength } from "../../cli/style.js";
import { describeWaiting, humanDuration, latestStates, timelineRows, waitingOn } from "../../cli/timeline.js";
import type { OperationRecord } from "../../runtime/operation-model.js";

const at = (ms: number) => new Date(1_000_000 + ms);
const plain = createStyle(false);

const records: OperationRecord[] = [
  { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: at(0) },
  { Id: "charge#0", Name: "charge", Type: "STEP", SubType: "Step", Status: "SUCCEEDED", StartTimestamp: at(1), EndTimestamp: at(13), StepDetails: { Attempt: 1, Result: "1" } },
  { Id: "items#0", Name: "items", Type: "CONTEXT", SubType: "Map", Status: "STARTED", StartTimestamp: at(20) },
  { Id: "cool-off#0", Name: "cool-off", Type: "WAIT", SubType: "Wait", Status: "STARTED", StartTimestamp: at(21), WaitDetails: { ScheduledEndTimestamp: at(4021) } },
  { Id: "items#0/map-item-0#0", ParentId: "items#0", Name: "a.jpg", Type: "CONTEXT", SubType: "MapIteration", Status: "STARTED", StartTimestamp: at(22) },
  { Id: "items#0/map-item-0#0/Step#0", ParentId: "items#0/map-item-0#0", Type: "STEP", SubType: "Step", Status: "PENDING", StartTimestamp: at(23), StepDetails: { Attempt: 1, Error: { ErrorType: "Error", ErrorMessage: "busy" }, NextAttemptTimestamp: at(2023) } },
  { Id: "approval#0", Name: "approval", Type: "CONTEXT", SubType: "WaitForCallback", Status: "STARTED", StartTimestamp: at(30) },
  { Id: "approval#0/Callback#0", ParentId: "approval#0", Type: "CALLBACK", SubType: "Callback", Status: "STARTED", StartTimestamp: at(31), CallbackDetails: { CallbackId: "cb-1" }, CallbackOptions: { TimeoutSeconds: 60 } },
];

describe("timelineRows", () => {
  it("shows an unknown subtype, even one named like an Object method, by its type", () => {
    const odd: OperationRecord[] = [
      { Id: "a#0", Name: "a", Type: "STEP", SubType: "constructor", Status: "SUCCEEDED", StartTimestamp: at(1) },
      { Id: "b#0", Name: "b", Type: "CONTEXT", SubType: "SomethingNew", Status: "STARTED", StartTimestamp: at(2) },
    ];
    expect(timelineRows(odd).map((row) => `${row.name} ${row.kind}`)).toEqual(["a step", "b context"]);
  });

  it("lists operations in tree order, children under their parent, without the execution record", () => {
    const rows = timelineRows(records);
    expect(rows.map((row) => `${"  ".repeat(row.depth)}${row.name} ${row.kind} ${row.status}`)).toEqual([
      "charge step SUCCEEDED",
      "items map STARTED",
      "  a.jpg map item STARTED",
      "    (step) step PENDING",
      "cool-off wait STARTED",
      "approval waitForCallback STARTED",
      "  (callback) callback STARTED",
    ]);
  });

  it("counts attempts from 1 and explains a retry", () => {
    const rows = timelineRows(records);
    expect(rows[0]).toMatchObject({ attempt: 1, startedAt: at(1).getTime(), endedAt: at(13).getTime() });
    expect(rows[3]).toMatchObject({ attempt: 1 });
    expect(rows[3]!.detail).toMatch(/^busy; retry at \d\d:\d\d:\d\d$/);
    const started = timelineRows([{ ...records[1]!, Status: "STARTED", EndTimestamp: undefined, StepDetails: { Attempt: 2 } }]);
    expect(started[0]!.attempt).toBe(3);
  });

  it("keeps the invocation that wrote each latest state", () => {
    const history = [
      { invocation: 1, record: { ...records[1]!, Status: "STARTED" as const } },
      { invocation: 1, record: records[3]! },
      { invocation: 2, record: records[1]! },
    ];
    expect(timelineRows(latestStates(history)).map((row) => [row.name, row.status, row.invocation])).toEqual([
      ["charge", "SUCCEEDED", 2],
      ["cool-off", "STARTED", 1],
    ]);
  });
});

describe("waitingOn", () => {
  it("names what the execution waits for, soonest first, a callback by its waitForCallback's name", () => {
    const now = at(21).getTime();
    expect(waitingOn(records).map((w) => describeWaiting(w, now))).toEqual([
      "step '(step)' retries in 2s (attempt 2)",
      "wait 'cool-off' ends in 4s",
      "callback 'approval' (times out in 1m 00s)",
    ]);
  });

  it("prints how to complete a callback, with the store when it is not the default", () => {
    const lines = formatWaiting(waitingOn(records), at(21).getTime(), plain, { storeArgs: " --store x.sqlite" });
    expect(lines[0]).toBe("waiting: step '(step)' retries in 2s (attempt 2); wait 'cool-off' ends in 4s; callback 'approval' (times out in 1m 00s)");
    expect(lines[1]).toBe("  complete it: replayable callback cb-1 --store x.sqlite --succeed '<json>'  (or --fail '<message>')");
  });
});

describe("formatting", () => {
  it("formats a row with name, type, status, duration, attempt and invocation", () => {
    const [row] = timelineRows([{ record: records[1]!, invocation: 1 }]);
    expect(formatRow(row!, 0, plain)).toBe("  ✓ charge                   step             SUCCEEDED    12ms  attempt 1  inv 1");
  });

  it("writes durations for people", () => {
    expect([0, 12, 999, 1000, 4400, 59_000, 65_000, 3_600_000 + 180_000, 3 * 86_400_000 + 4 * 3_600_000].map(humanDuration)).toEqual([
      "0ms",
      "12ms",
      "999ms",
      "1s",
      "4s",
      "59s",
      "1m 05s",
      "1h 03m",
      "3d 4h",
    ]);
  });

  it("truncates colored lines by their visible width", () => {
    const style = createStyle(true);
    const line = `${style.green("SUCCEEDED")} and more text`;
    expect(visibleLength(truncate(line, 12))).toBe(12);
    expect(truncate("short", 12)).toBe("short");
  });
});

describe("function names", () => {
  it("records a handler as its file (relative to the working directory) and export, in the engine's alphabet", () => {
    const name = functionNameOf("/project", "/project/examples/run/order-payment.ts", "orderPayment");
    expect(name).toBe("examples:run:order-payment.ts@orderPayment");
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:@=+-]*$/);
    expect(functionRefOf(name)).toEqual({ file: "examples/run/order-payment.ts", exportName: "orderPayment", sdk: "replayable" });
    expect(displayFunction(name)).toBe("examples/run/order-payment.ts#orderPayment");
    expect(functionRefOf("examples/run/order-payment.ts#orderPayment")).toEqual({ file: "examples/run/order-payment.ts", exportName: "orderPayment", sdk: "replayable" });
  });

  it("records a handler run with --sdk aws with +aws after its export, shown as (--sdk aws)", () => {
    const name = functionNameOf("/project", "/project/handlers/flow.ts", "handler", "aws");
    expect(name).toBe("handlers:flow.ts@handler+aws");
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:@=+-]*$/);
    expect(functionRefOf(name)).toEqual({ file: "handlers/flow.ts", exportName: "handler", sdk: "aws" });
    expect(displayFunction(name)).toBe("handlers/flow.ts#handler (--sdk aws)");
    expect(functionRefOf("handlers/flow.ts#handler (--sdk aws)")).toEqual({ file: "handlers/flow.ts", exportName: "handler", sdk: "aws" });
    expect(functionRefOf(functionNameOf("/project", "/project/flow.mjs", "default", "aws"))).toEqual({ file: "flow.mjs", exportName: "default", sdk: "aws" });
  });

  it("leaves names the CLI did not make alone", () => {
    expect(functionRefOf("orders")).toBeUndefined();
    expect(functionRefOf("user@example.com")).toBeUndefined();
    expect(displayFunction("orders")).toBe("orders");
  });

  it("refuses files outside the working directory and paths the engine cannot store, saying why", () => {
    expect(() => functionNameOf("/project", "/elsewhere/h.ts", "handler")).toThrow(/outside the working directory/);
    expect(() => functionNameOf("/project", "/project/.hidden/h.ts", "handler")).toThrow(/starts with a letter or digit/);
    expect(() => functionNameOf("/project", "/project/my handlers/h.ts", "handler")).toThrow(/cannot be recorded/);
    expect(() => functionNameOf("/project", "/project/h.ts", "$handler")).toThrow(/letters, digits and _/);
  });
});
