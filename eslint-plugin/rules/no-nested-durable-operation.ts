import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-nested-durable-operation",
  description: "Disallow durable operations inside step code, directly or through a helper",
  recommended: "recommended",
  message: "{{source}}{{where}} is a durable operation inside step code: steps cannot hold operations, and a retry of the step issues them again; {{fix}}.",
  hasSuggestions: false,
});
