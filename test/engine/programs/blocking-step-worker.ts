// `blocking-step-worker.ts <store> <side log> (start|wait) <executionId>`: an engine with a 1 s
// lease whose handler's step blocks the event loop for 1.5 s (no renewal can run), appending
// "started <pid>" to the side log first. Prints "ready", starts (or waits for) the execution
// once the file <side log>.go exists, and exits when it has ended.
import { appendFileSync, existsSync } from "node:fs";
import { createEngine, SqliteStore } from "../../../engine/index.js";
import { withDurableExecution } from "../../../runtime/index.js";

const [storePath, sideLog, command, executionId] = process.argv.slice(2);
const blocking = withDurableExecution(async (_event, context) => {
  const value = await context.step("block", async () => {
    appendFileSync(sideLog!, `started ${process.pid}\n`);
    const until = Date.now() + 1500;
    while (Date.now() < until); // synchronous: the lease cannot be renewed meanwhile
    return "done";
  });
  return value;
});
const store = SqliteStore.open(storePath!);
const engine = createEngine({ store, functions: { blocking }, pollMs: 20, leaseMs: 1000 });
console.log("ready");
while (!existsSync(`${sideLog}.go`)) await new Promise((resolve) => setTimeout(resolve, 10));
if (command === "start") await engine.start("blocking", {}, { executionId: executionId! });
while (!(await engine.getExecution(executionId!))) await new Promise((resolve) => setTimeout(resolve, 10));
{
  await engine.waitForExecution(executionId!);
  await engine.close();
  await store.close();
}
