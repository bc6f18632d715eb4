// 3-11: a child context logs the input through its logger (replay logging on), runs a step
// returning a small value, and builds a result over 256 KB from it, so the child is
// checkpointed in ReplayChildren mode; a wait follows, and the replay re-runs the child body
// to rebuild the large result. Replay logging is turned on on the child's own context: a
// context's logger settings are its own (configureLogger on the parent does not reach it).
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const large = await context.runInChildContext("large-result", async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`building the large result for ${event}`);
    const seed = await child.step(async () => event);
    return seed.repeat(Math.ceil(300_000 / Math.max(1, seed.length)));
  });
  await context.wait({ seconds: 1 });
  return { length: large.length, startsWithInput: large.startsWith(event) };
});
