// Instrumentation plugins of a replayable handler run as Lambda runs it: the engine plays the
// durable execution service (fromAwsSdk), every wake-up is an invocation that replays, and the
// plugins see operations by the ids Lambda shows (not the journal's keyed ids), with the
// operations the service changed between invocations (UpdatedOperationIds).
import { expect, it } from "vitest";
import { ExecutionService } from "../../../engine/aws/index.js";
import { MemoryStore } from "../../../engine/index.js";
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin, type OperationRecord } from "../../../runtime/index.js";
import { lambdaOperationId } from "../../../runtime/lambda/operation-ids.js";
import { EngineScenarioRunner, inProcess } from "../../engine/engine-scenario-runner.js";

it("calls the plugins with Lambda's operation ids, parent links and updated operations", async () => {
  const lines: string[] = [];
  const plugin: DurableInstrumentationPlugin = {
    async onInvocationStart(info) {
      const updated = Object.values(info.updatedOperations).map((op) => `${op.id}:${op.status}`);
      lines.push(`invocation-start first=${info.isFirstInvocation} updated=[${updated.join(",")}] operations=${Object.keys(info.operations).length}`);
    },
    async onInvocationEnd(info) {
      lines.push(`invocation-end ${info.status}`);
    },
    async onOperationStart(info) {
      lines.push(`start ${info.id} parent=${info.parentId ?? "NONE"} replay=${info.isReplay}`);
    },
    async onOperationEnd(info) {
      lines.push(`end ${info.id} ${info.status} replay=${info.isReplay}${info.result === undefined ? "" : ` result=${info.result}`}`);
    },
  };
  const handler = withDurableExecution(
    async (_event: unknown, ctx: DurableContext) => {
      const inner = await ctx.runInChildContext("child", async (child) => child.step("inner", async () => 2));
      await ctx.wait("pause", { seconds: 1 });
      return inner;
    },
    { plugins: [plugin] },
  );
  const result = await new EngineScenarioRunner(inProcess(handler), () => new MemoryStore()).run();
  expect(result.getStatus()).toBe("SUCCEEDED");
  const [child, inner, pause] = ["child#0", "child#0/inner#0", "pause#0"].map(lambdaOperationId);
  expect(lines).toEqual([
    "invocation-start first=true updated=[] operations=1",
    `start ${child} parent=NONE replay=false`,
    `start ${inner} parent=${child} replay=false`,
    `end ${inner} SUCCEEDED replay=false result=2`,
    `end ${child} SUCCEEDED replay=false result=2`,
    `start ${pause} parent=NONE replay=false`,
    "invocation-end PENDING",
    // The service completed the wait: it is an updated operation, and ends without being a replay.
    // The state holds the execution, the child and the wait: the service leaves out a completed
    // context's children, as Lambda does.
    `invocation-start first=false updated=[${pause}:SUCCEEDED] operations=3`,
    `end ${pause} SUCCEEDED replay=false`,
    "invocation-end SUCCEEDED",
  ]);
}, 30_000);

it("tells the plugins RETRYING when the service refuses the invocation's token (Lambda invokes again)", async () => {
  const execution: OperationRecord = { Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: "{}" } };
  const records = new Map([[execution.Id, execution]]);
  const journal = { load: () => [...records.values()], save: (record: OperationRecord) => void records.set(record.Id, record) };
  const service = new ExecutionService({ executionArn: "arn:aws:lambda:us-east-1:000000000000:function:f:1/durable-execution/e/1", journal, clock: Date.now });
  const staleEvent = service.invocationInput();
  service.end("the invocation it was issued to has ended");
  const ends: string[] = [];
  const handler = withDurableExecution(async (_event: unknown, ctx: DurableContext) => ctx.step("s", async () => 1), {
    client: service,
    plugins: [{ onInvocationEnd: async (info) => void ends.push(`${info.status} ${info.executionError?.message}`) }],
  });
  await expect(handler(staleEvent, { awsRequestId: "r" })).rejects.toThrow(/Invalid Checkpoint Token/);
  expect(ends).toEqual([expect.stringMatching(/^RETRYING Invalid Checkpoint Token/)]);
});
