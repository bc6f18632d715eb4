// `blocking-step-worker.ts <store> <side log> (start|wait) <executionId> (alo|amo)`: an engine
// with a 1 s lease whose handler's step (at least once, or at most once with `amo`, retried after
// 0.1 s) blocks the event loop for 1.5 s (no renewal can run), appending "started <pid>" to
// the side log first. Prints "ready", starts (or waits for) the execution
// once the file <side log>.go exists, and exits when it has ended.
import { appendFileSync, existsSync } from "node:fs";
import { createEngine, SqliteStore } from "../../../engine/index.js";
import { StepSemantics, withDurableExecution } from "../../../runtime/index.js";

const [storePath, sideLog, command, executionId, semantics] = process.argv.slice(2);
const options = semantics === "amo" ? { semantics: StepSemantics.AtMostOncePerRetry, retryStrategy: () => ({ shouldRetry: true, delay: { seconds: 0.1 } }) } : undefined;
const blocking = withDurableExecution(async (_event, context) => {
  const value = await context.step("block", async () => {
    appendFileSync(sideLog!, `started ${process.pid}\n`);
    const until = Date.now() + 1500;
    while (Date.now() < until); // synchronous: the lease cannot be renewed meanwhile
    return "done";
  }, options);
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
