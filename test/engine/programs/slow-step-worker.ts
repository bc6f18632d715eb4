// `slow-step-worker.ts <store> <side log> [start <executionId>]`: an engine (lease 8 s) whose
// handler's step appends "started <pid>" to the side log, then takes 3 s (not blocking the
// loop). Exits when the execution has ended.
import { appendFileSync } from "node:fs";
import { createEngine, SqliteStore } from "../../../engine/index.js";
import { withDurableExecution } from "../../../runtime/index.js";

const [storePath, sideLog, command, executionId] = process.argv.slice(2);
const slow = withDurableExecution(async (_event, context) => {
  return context.step("slow", async () => {
    appendFileSync(sideLog!, `started ${process.pid}\n`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return "done";
  });
});
const store = SqliteStore.open(storePath!);
const engine = createEngine({ store, functions: { slow }, pollMs: 20, leaseMs: 8000 });
console.log(`worker ${engine.workerId}`);
if (command === "start") await engine.start("slow", {}, { executionId: executionId! });
if (executionId) {
  await engine.waitForExecution(executionId);
  await engine.close();
  await store.close();
}
