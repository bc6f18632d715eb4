import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-captured-mutation-in-step",
  description: "Disallow step code and child context bodies writing variables or objects captured from outside them",
  recommended: "recommended",
  message: "{{problem}} {{source}}, which is captured from outside it: on replay it is skipped and the write never happens, so the code after it sees another value; {{fix}}.",
  hasSuggestions: false,
});
