import { appendFileSync } from "node:fs";
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import { fromAwsSdk } from "../../../engine/aws/index.js";

/**
 * The payment flow of the restart tests, written with the official SDK: the charge step
 * leaves a line in a log file, so a second charge is visible.
 */
export const handler = withDurableExecution(async (event: { orderId: string; amount: number; chargeLog: string }, context: DurableContext) => {
  const charge = await context.step("charge", async () => {
    appendFileSync(event.chargeLog, `charged ${event.orderId} ${event.amount} pid ${process.pid}\n`);
    return { chargeId: `ch_${event.orderId}`, amount: event.amount };
  });
  await context.wait("settle", { seconds: 2 });
  const receipt = await context.step("receipt", async () => `receipt for ${charge.chargeId}`);
  return { charge, receipt };
});

export const awsPayment = fromAwsSdk(handler);
