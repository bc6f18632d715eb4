import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "serializable-step-result",
  description: "Require step results that survive the JSON checkpoint: no Date, Map, Set, BigInt, functions, symbols or class instances",
  recommended: "recommended-type-checked",
  message: "{{source}}{{where}} {{problem}}: the handler receives the deserialized value, not the type it declares; {{fix}}.",
  hasSuggestions: false,
  requiresTypeChecking: true,
});
