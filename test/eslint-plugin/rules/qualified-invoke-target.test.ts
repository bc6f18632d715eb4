import rule from "../../../eslint-plugin/rules/qualified-invoke-target.js";
import { awsHandler, createRuleTester } from "../rule-tester.js";

const ruleTester = createRuleTester();

ruleTester.run("qualified-invoke-target", rule, {
  valid: [
    awsHandler(`await context.invoke("charge", "payments:prod", { amount: 1 });`),
    awsHandler(`await context.invoke("payments:7", { amount: 1 });`),
    awsHandler(`await context.invoke("arn:aws:lambda:us-east-1:123456789012:function:payments:live");`),
    awsHandler(`await context.invoke("123456789012:function:payments:2", {});`),
    // A qualifier after the last interpolation is enough to know.
    awsHandler("await context.invoke(`${event.fn}:prod`, {});"),
    // Targets that cannot be known statically are left alone.
    awsHandler(`await context.invoke(event.target, {});`),
    awsHandler(`await context.invoke(process.env.TARGET!, {});`),
    // Not a durable context.
    awsHandler(`await lambda.invoke("payments");`, `const lambda = { invoke: async (x: string) => x };`),
  ],
  invalid: [
    {
      code: awsHandler(`await context.invoke("payments", { amount: 1 });`),
      errors: [{ messageId: "found", line: 4, column: 22, data: {
        source: '"payments"',
        where: "",
        problem: "names a function without a version or alias",
        fix: 'publish a version or alias and invoke it by qualified name, e.g. "my-function:prod" or an ARN ending in ":prod"',
      } }],
    },
    {
      // Named form: the second argument is the target when it is a string.
      code: awsHandler(`await context.invoke("charge", "arn:aws:lambda:us-east-1:123456789012:function:payments:$LATEST", {});`),
      errors: [{ messageId: "found", column: 32, data: {
        source: '"arn:aws:lambda:us-east-1:123456789012:function:payments:$LATEST"',
        where: "",
        problem: "targets $LATEST, which is not a published version",
        fix: 'publish a version or alias and invoke it by qualified name, e.g. "my-function:prod" or an ARN ending in ":prod"',
      } }],
    },
    {
      // Constants are followed; full and partial ARNs without a qualifier.
      code: awsHandler(`await context.invoke(PAYMENTS);
  await context.invoke("ship", "123456789012:function:shipping", {});
  await context.invoke("notify", NOTIFY);`, `const PAYMENTS = "arn:aws:lambda:eu-west-1:123456789012:function:payments";
const NOTIFY = \`notify:$LATEST\`;`),
      errors: [{ messageId: "found", line: 5 }, { messageId: "found", line: 6 }, { messageId: "found", line: 7 }],
    },
  ],
});
