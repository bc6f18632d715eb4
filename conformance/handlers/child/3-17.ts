// 3-17: a child context that only logs the input through its logger (replay logging on) and
// returns it, then a wait; the replay takes the child's result from its checkpoint without
// running its body (so the log is written once). Replay logging is turned on on the child's
// own context: a context's logger settings are its own.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  const value = await context.runInChildContext("logging-child", async (child) => {
    child.configureLogger({ modeAware: false });
    child.logger.info(`child context ran for ${event}`);
    return event;
  });
  await context.wait({ seconds: 1 });
  return value;
});
