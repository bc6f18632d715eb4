// 1-7 (optional): a step logs through its step context logger before and after greeting.
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.step(async (stepContext) => {
    stepContext.logger.info(`Greeting step started for: ${event}`);
    const greeting = `Hello, ${event}!`;
    stepContext.logger.info(`Greeting step completed with: ${greeting}`);
    return greeting;
  });
});
