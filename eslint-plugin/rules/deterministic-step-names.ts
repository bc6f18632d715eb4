import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "deterministic-step-names",
  description: "Require operation names that are the same on every replay and unique within their context",
  recommended: "recommended",
  message: "{{source}}{{where}} {{problem}}; {{fix}}.",
  hasSuggestions: false,
});
