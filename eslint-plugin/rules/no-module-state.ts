import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-module-state",
  description: "Disallow reading or writing module-level variables, or mutating module-level objects, in orchestration code",
  recommended: "recommended",
  message: "{{source}}{{where}} {{problem}} in orchestration code: module state lives as long as the container, so a replay elsewhere sees another value; {{fix}}.",
  hasSuggestions: false,
});
