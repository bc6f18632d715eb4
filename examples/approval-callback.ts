/**
 * Expense approval with a human in the loop, written against replayable.
 *
 * Small reports are approved automatically; larger ones wait for a manager, who answers
 * through a callback (an email link that calls SendDurableExecutionCallbackSuccess).
 * The wait can last days: the function suspends, and when the answer arrives it is
 * replayed from the top in a new invocation, possibly in a new container, after a deploy.
 */
import { withDurableExecution, type DurableContext } from "replayable";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";

const ses = new SESv2Client({});

interface ExpenseReport {
  reportId: string;
  employeeEmail: string;
  managerEmail: string;
  amountCents: number;
}

interface Decision {
  status: "approved" | "rejected" | "needs-info";
  comment?: string;
}

export const approveExpense = withDurableExecution(async (report: ExpenseReport, context: DurableContext) => {
  // RIGHT: an execution runs on one published version, whose environment never changes, so
  // a configuration read is the same on every replay.
  const autoApproveLimit = Number(process.env.AUTO_APPROVE_LIMIT_CENTS ?? "50000");

  // MISTAKE: Lambda sets _X_AMZN_TRACE_ID per invocation: the one that replays reads another.
  const traceHeader = process.env._X_AMZN_TRACE_ID ?? "untraced"; // expect: no-env-outside-step

  // MISTAKE: every replay is a new invocation with a new request id.
  const traceId = context.lambdaContext.awsRequestId; // expect: no-invocation-context-read

  if (report.amountCents <= autoApproveLimit) {
    return { reportId: report.reportId, status: "approved", by: "policy", traceId, traceHeader };
  }

  // RIGHT: the submitter runs as step code, once: reading the environment and sending
  // the email here is fine.
  const raw = await context.waitForCallback(
    "manager-approval",
    async (callbackId) => {
      const approvalsUrl = process.env.APPROVALS_URL ?? "https://approvals.example.com";
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: "expenses@example.com",
          Destination: { ToAddresses: [report.managerEmail] },
          Content: {
            Simple: {
              Subject: { Data: `Expense ${report.reportId} needs your approval` },
              Body: { Text: { Data: `${approvalsUrl}/decide?callback=${encodeURIComponent(callbackId)}` } },
            },
          },
        }),
      );
    },
    { timeout: { days: 3 } },
  );
  const decision = JSON.parse(raw) as Decision;

  if (decision.status === "needs-info") {
    // MISTAKE: a sleep in orchestration code keeps the function running (and billed),
    // is not recorded, and is lost if the execution suspends. Use context.wait.
    await new Promise((resolve) => setTimeout(resolve, 3_600_000)); // expect: no-timers
  }

  // RIGHT: context.now() is replayable's recorded clock: the same value on every replay.
  const decidedAt = new Date(context.now()).toISOString();

  await context.step("notify-employee", async () => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "expenses@example.com",
        Destination: { ToAddresses: [report.employeeEmail] },
        Content: { Simple: { Subject: { Data: `Expense ${report.reportId}: ${decision.status}` }, Body: { Text: { Data: decision.comment ?? "" } } } },
      }),
    );
  });

  return { reportId: report.reportId, status: decision.status, decidedAt, traceId };
});
