// 5-16: invoke the echo target with a custom result deserializer that uppercases the result
// text; the handler returns the transformed result.
import { withDurableExecution, type DurableContext, type Serdes } from "@aws/durable-execution-sdk-js";

const uppercaseResult: Serdes<string> = {
  serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
  deserialize: async (data) => data?.toUpperCase(),
};

export const handler = withDurableExecution(async (event: string, context: DurableContext) => {
  return await context.invoke<string, string>("echo", "conformance-echo", event, { resultSerdes: uppercaseResult });
});
