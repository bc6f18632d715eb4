/**
 * A human approval with a timeout: the handler asks an approver, then waits (suspended,
 * for as long as it takes) for the answer to arrive as a callback.
 *
 *   npx replayable run examples/run/expense-approval.ts --input '{"expenseId":"e-7","amountCents":125000,"approver":"dana@example.com"}'
 *
 * While it waits it prints the callback id; answer from another terminal with
 *
 *   npx replayable callback <callbackId> --succeed '{"approved":true,"by":"dana"}'
 *
 * or let it time out (timeoutSeconds, default 300): the request is escalated instead.
 */
import { CallbackTimeoutError, withDurableExecution, type DurableContext } from "replayable";

interface ExpenseRequest {
  expenseId: string;
  amountCents: number;
  approver: string;
  /** How long the approver has, in seconds (default 300). */
  timeoutSeconds?: number;
}

interface Decision {
  approved: boolean;
  by?: string;
  note?: string;
}

export const expenseApproval = withDurableExecution(async (request: ExpenseRequest, context: DurableContext) => {
  let decision: Decision;
  try {
    // The submitter is step code: it runs once, and is where the request goes out (an
    // email, a chat message) carrying the callback id the answer must quote.
    const answer = await context.waitForCallback(
      "manager-approval",
      async (callbackId, step) => {
        step.logger.info(`asked ${request.approver} to approve expense ${request.expenseId} (callback ${callbackId})`);
      },
      { timeout: { seconds: request.timeoutSeconds ?? 300 } },
    );
    decision = JSON.parse(answer) as Decision;
  } catch (error) {
    if (!(error instanceof CallbackTimeoutError)) throw error;
    // Nobody answered in time: escalate, and do not pay.
    await context.step("escalate", async () => `escalated expense ${request.expenseId} to finance`);
    decision = { approved: false, note: `no answer from ${request.approver} in time; escalated` };
  }

  if (decision.approved) {
    await context.step("reimburse", async () => `paid ${request.amountCents} cents for ${request.expenseId}`);
  }
  return { expenseId: request.expenseId, ...decision };
});
