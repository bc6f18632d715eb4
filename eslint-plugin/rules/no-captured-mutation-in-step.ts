import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-captured-mutation-in-step",
  description: "Disallow step code writing variables or objects captured from outside the step",
  recommended: "recommended",
  message: "Step code writes {{source}}, which is captured from outside the step: on replay the step is skipped and the write never happens, so the code after it sees another value; {{fix}}.",
  hasSuggestions: false,
});
