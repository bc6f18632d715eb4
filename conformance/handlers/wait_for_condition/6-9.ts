// 6-9: waitForCondition over an object state {status, attempts}: each check adds an attempt
// and sets status DONE at 2 attempts; polling continues while the status is PENDING.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

interface Job {
  status: "PENDING" | "DONE";
  attempts: number;
}

export const handler = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  return await context.waitForCondition(
    async (job: Job): Promise<Job> => {
      const attempts = job.attempts + 1;
      return { status: attempts >= 2 ? "DONE" : "PENDING", attempts };
    },
    {
      initialState: { status: "PENDING", attempts: 0 },
      waitStrategy: (job) => (job.status === "PENDING" ? { shouldContinue: true, delay: { seconds: 1 } } : { shouldContinue: false }),
    },
  );
});
