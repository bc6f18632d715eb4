import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-env-outside-step",
  description: "Disallow reading the environment or command line in orchestration code, which a replay may see changed",
  recommended: "recommended",
  message: "{{source}}{{where}} reads the environment outside a step; a replay in another container or after a deploy can read a different value; {{fix}}.",
  hasSuggestions: true,
});
