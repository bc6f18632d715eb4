import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "qualified-invoke-target",
  description: "Require context.invoke targets to name a published version or alias, not an unqualified function or $LATEST",
  recommended: "recommended",
  message: "The invoke target {{source}}{{where}} {{problem}}; a durable function runs only from a published version or alias, so {{fix}}.",
  hasSuggestions: false,
});
