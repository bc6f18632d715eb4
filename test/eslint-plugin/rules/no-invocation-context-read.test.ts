import rule from "../../../eslint-plugin/rules/no-invocation-context-read.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();

ruleTester.run("no-invocation-context-read", rule, {
  valid: [
    awsHandler(`const requestId = await context.step("request", async () => context.lambdaContext.awsRequestId);`),
    // Stable per function version: not per invocation.
    awsHandler(`return context.lambdaContext.functionName + context.lambdaContext.memoryLimitInMB;`),
    // A lambdaContext that is not the durable context's.
    awsHandler(`const other = { lambdaContext: { awsRequestId: "x" } };
  return other.lambdaContext.awsRequestId;`),
    `import os from "node:os"; export const host = os.hostname();`,
  ],
  invalid: [
    {
      code: awsHandler(`const requestId = context.lambdaContext.awsRequestId;`),
      errors: [{
        messageId: "found",
        line: 4,
        column: 19,
        suggestions: [{ messageId: "wrapInStep", data: { name: "requestId", context: "context" }, output: awsHandler(`const requestId = await context.step("requestId", async () => context.lambdaContext.awsRequestId);`) }],
      }],
    },
    {
      // Destructured contexts and lambdaContext, process and os values.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { hostname } from "node:os";
export const handler = withDurableExecution(async (event: any, { lambdaContext }: any) => {
  return [lambdaContext.getRemainingTimeInMillis(), process.pid, process.uptime(), process.memoryUsage(), hostname()].map(String);
});`,
      errors: [
        { messageId: "found", line: 4, column: 11, suggestions: [] },
        { messageId: "found", line: 4, column: 53, suggestions: [] },
        { messageId: "found", line: 4, column: 66, suggestions: [] },
        { messageId: "found", line: 4, column: 84, suggestions: [] },
        { messageId: "found", line: 4, column: 107, suggestions: [] },
      ],
    },
  ],
});
