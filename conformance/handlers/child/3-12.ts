// 3-12: a child context's step crashes the process (process.exit) after ContextStarted and
// StepStarted are checkpointed; the next invocation runs the step again and it returns the
// input. Whether it crashed before is kept in a marker file, as a crash loses process memory.
// With AtLeastOncePerRetry semantics the SDK checkpoints StepStarted without waiting for it, and
// the requirement crashes the process once StepStarted is checkpointed: the step waits until the
// execution's history (GetDurableExecutionHistory, as on Lambda) shows it, however long the
// checkpoint takes to leave the process.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { untilHistoryHas } from "../history.js";
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const dir = join(tmpdir(), "replayable-conformance-crash");
  const marker = join(dir, `3-12-${encodeURIComponent(context.executionContext.durableExecutionArn)}`);
  return await context.runInChildContext(async (child) =>
    child.step(async () => {
      if (!existsSync(marker)) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(marker, "crashed once\n");
        await untilHistoryHas(context.executionContext.durableExecutionArn, "StepStarted");
        process.exit(1);
      }
      return event;
    }),
  );
});
