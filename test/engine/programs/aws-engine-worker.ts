// A worker process for the AWS SDK restart test: `aws-engine-worker.ts <store> [start <executionId> <json input>]`.
// It runs an engine with the payment flow written with the official SDK until killed
// (or until the execution ends, then exits 0). Prints "<name> <status>" per operation state.
import { createEngine, SqliteStore } from "../../../engine/index.js";
import { awsPayment } from "./aws-payment.js";

const [storePath, command, executionId, input] = process.argv.slice(2);
const store = SqliteStore.open(storePath!);
const engine = createEngine({ store, functions: { payment: awsPayment }, pollMs: 20 });
engine.subscribe((event) => {
  if (event.type === "operation") process.stdout.write(`${event.record.Name ?? event.record.Id} ${event.record.Status}\n`);
});
if (command === "start") await engine.start("payment", JSON.parse(input!), { executionId: executionId! });
if (executionId) {
  await engine.waitForExecution(executionId);
  await engine.close();
  await store.close();
}
