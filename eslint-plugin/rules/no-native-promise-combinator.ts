import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-native-promise-combinator",
  description: "Disallow Promise.all/allSettled/any/race over durable operations; use context.promise.*, parallel or map",
  recommended: "recommended",
  message: "{{source}}{{where}} combines durable operations without recording the combination, so a replay can settle it differently; {{fix}}.",
  hasSuggestions: true,
});
