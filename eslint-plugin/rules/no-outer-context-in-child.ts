import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-outer-context-in-child",
  description: "Disallow using a parent's durable context inside a child context, parallel branch or map item",
  recommended: "recommended",
  message: "The parent's context `{{source}}`{{where}} is used inside a child context: {{problem}}; {{fix}}.",
  hasSuggestions: true,
});
