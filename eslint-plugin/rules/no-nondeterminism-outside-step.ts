import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-nondeterminism-outside-step",
  description: "Disallow randomness, clock reads and GC-dependent objects in orchestration code, where replay gives them a different value",
  recommended: "recommended",
  message: "{{source}}{{where}} runs again on every replay and returns a different value, so the execution can take another path; {{fix}}.",
  hasSuggestions: true,
});
