/**
 * A support agent loop on Amazon Bedrock, written against replayable.
 *
 * The model proposes tool calls; the handler runs them and feeds the results back until
 * the model answers. An agent loop is long and expensive: every model call and every
 * tool call must be a recorded operation, or a replay pays for (and may change) them all.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ContentBlock,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { withDurableExecution as durableHandler, type DurableContext } from "replayable";

const bedrock = new BedrockRuntimeClient({});
const MODEL_ID = "anthropic.claude-sonnet-4-20250514-v1:0";
const MAX_TURNS = 8;

const TOOLS = {
  lookupOrder: { name: "lookup_order", description: "Find an order by id" },
  issueRefund: { name: "issue_refund", description: "Refund an order" },
};

export const supportAgent = durableHandler(async (event: { ticketId: string; question: string }, context: DurableContext) => {
  const messages: Message[] = [{ role: "user", content: [{ text: event.question }] }];

  // MISTAKE: the model call runs outside a step. Every replay calls the model again,
  // pays for it again, and can get a different answer, so the loop takes another path.
  const triage = await bedrock.send(new ConverseCommand({ modelId: MODEL_ID, messages })); // expect: no-io-outside-step
  const category = triage.output?.message?.content?.[0]?.text ?? "general";

  for (let turn = 0; turn < MAX_TURNS; turn++) {
    // RIGHT: each model turn is a step; on replay it returns the recorded reply.
    const reply = await context.step(`model-turn-${turn}`, async () => {
      const response = await bedrock.send(
        new ConverseCommand({ modelId: MODEL_ID, messages, system: [{ text: `Category: ${category}` }] }),
      );
      return response.output!.message!;
    });
    messages.push(reply);

    const toolUse = reply.content?.find((block): block is ContentBlock.ToolUseMember => "toolUse" in block)?.toolUse;
    if (!toolUse) return { ticketId: event.ticketId, answer: reply.content?.[0]?.text ?? "" };

    let result: unknown;
    if (toolUse.name === TOOLS.lookupOrder.name) {
      // MISTAKE: "order-lookup-tool" names no version or alias. A durable invoke target
      // must be a published version or alias, or the call is rejected.
      result = await context.invoke(`lookup-${turn}`, "order-lookup-tool", toolUse.input); // expect: qualified-invoke-target
    } else if (toolUse.name === TOOLS.issueRefund.name) {
      // RIGHT: an alias ("prod") pins what runs for the whole execution.
      result = await context.invoke(
        `refund-${turn}`,
        "arn:aws:lambda:eu-west-1:123456789012:function:refund-tool:prod",
        toolUse.input,
      );
    } else {
      // MISTAKE: the "unknown tool" fallback logs with console, once per replay.
      console.warn("unknown tool", toolUse.name); // expect: replay-aware-logging
      result = { error: `unknown tool ${toolUse.name}` };
    }

    messages.push({
      role: "user",
      content: [{ toolResult: { toolUseId: toolUse.toolUseId!, content: [{ text: JSON.stringify(result) }] } }],
    });
  }

  context.logger.warn("agent gave up", { ticketId: event.ticketId, turns: MAX_TURNS });
  return { ticketId: event.ticketId, answer: "escalated to a human" };
});
