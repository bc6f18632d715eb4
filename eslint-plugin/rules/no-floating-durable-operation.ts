import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-floating-durable-operation",
  description: "Require durable operations to be awaited, returned, or passed to a durable combinator",
  recommended: "recommended",
  message: "{{source}}{{where}} is neither awaited, returned nor passed on: its failure is lost and the handler can finish before it is recorded; {{fix}}.",
  hasSuggestions: true,
});
