// The updates replayable sends Lambda for each state a record takes (record-updates.ts).
import { describe, expect, it } from "vitest";
import type { OperationRecord } from "../../../runtime/operation-model.js";
import { lambdaOperationId } from "../../../runtime/lambda/operation-ids.js";
import { updatesFor } from "../../../runtime/lambda/record-updates.js";

const T0 = Date.parse("2026-12-07T09:00:00.000Z");
const step = (status: OperationRecord["Status"], details: OperationRecord["StepDetails"] = {}): OperationRecord => ({
  Id: "charge#0",
  Name: "charge",
  Type: "STEP",
  SubType: "Step",
  Status: status,
  StartTimestamp: new Date(T0),
  StepDetails: details,
});

describe("updatesFor", () => {
  it("sends a retry's whole delay though the checkpoint goes out later than the retry was decided", () => {
    // Decided at T0 with a 2-second delay; the checkpoint leaves 700 ms later (a busy machine).
    const pending = step("PENDING", { Attempt: 1, Error: { ErrorType: "Error", ErrorMessage: "down" }, NextAttemptTimestamp: new Date(T0 + 2000) });
    expect(updatesFor(pending, step("STARTED"), T0 + 700)).toEqual([
      { Id: lambdaOperationId("charge#0"), Name: "charge", Type: "STEP", SubType: "Step", Action: "RETRY", StepOptions: { NextAttemptDelaySeconds: 2 }, Error: { ErrorType: "Error", ErrorMessage: "down" } },
    ]);
  });

  it("starts and completes in one go a step whose first state is final (context.now())", () => {
    const done = step("SUCCEEDED", { Attempt: 1, Result: "42" });
    expect(updatesFor(done, undefined, T0).map((u) => [u.Action, u.Payload])).toEqual([
      ["START", undefined],
      ["SUCCEED", "42"],
    ]);
  });

  it("sends nothing for a wait the handler found over (the service completes it) or a state Lambda already has", () => {
    const wait: OperationRecord = { Id: "w#0", Type: "WAIT", SubType: "Wait", Status: "STARTED", StartTimestamp: new Date(T0), WaitOptions: { WaitSeconds: 5 } };
    expect(updatesFor(wait, undefined, T0)).toEqual([{ Id: lambdaOperationId("w#0"), Type: "WAIT", SubType: "Wait", Action: "START", WaitOptions: { WaitSeconds: 5 } }]);
    expect(updatesFor({ ...wait, Status: "SUCCEEDED" }, wait, T0 + 5000)).toEqual([]);
    expect(updatesFor(step("STARTED"), step("STARTED"), T0)).toEqual([]);
  });
});
