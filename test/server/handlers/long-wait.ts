// Waits an hour between two steps (replayable's runtime): an execution to stop, list and page through.
import { withDurableExecution } from "replayable";

export const handler = withDurableExecution(async (event: { n?: number }, context) => {
  for (let i = 0; i < (event.n ?? 1); i++) await context.step(`s${i}`, async () => i);
  await context.wait("hour", { hours: 1 });
  return "done";
});
