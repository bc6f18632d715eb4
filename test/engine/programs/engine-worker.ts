// A worker process for restart tests: `engine-worker.ts <store> [start <executionId> <json input>]`.
// It runs an engine on the store until killed (or until the execution ends, then exits 0).
import { createEngine, SqliteStore } from "../../../engine/index.js";
import { payment } from "./payment.js";

const [storePath, command, executionId, input] = process.argv.slice(2);
const store = SqliteStore.open(storePath!);
const engine = createEngine({ store, functions: { payment }, pollMs: 20 });
engine.subscribe((event) => {
  if (event.type === "operation") process.stdout.write(`${event.record.Id} ${event.record.Status}\n`);
});
if (command === "start") await engine.start("payment", JSON.parse(input!), { executionId: executionId! });
if (executionId) {
  await engine.waitForExecution(executionId);
  await engine.close();
  await store.close();
}
