// 10-1: one step returns a greeting (its body logs the input); a plugin logs invocation-start
// (is it the first invocation?) and invocation-end (the status).
import { withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "@aws/durable-execution-sdk-js";

let durableExecutionArn: string | undefined;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ plugin: "CONFPLUGIN", ...record, durableExecutionArn })}\n`);

const plugin: DurableInstrumentationPlugin = {
  async onInvocationStart(info) {
    durableExecutionArn = info.executionArn;
    emit({ hook: "invocation-start", first: info.isFirstInvocation });
  },
  async onInvocationEnd(info) {
    emit({ hook: "invocation-end", status: info.status });
  },
};

export const handler = withDurableExecution(
  async (event: string, context: DurableContext) => {
    return await context.step("greet", async (stepContext) => {
      stepContext.logger.info(`Greeting step running for: ${event}`);
      return `Hello, ${event}!`;
    });
  },
  { plugins: [plugin] },
);
