import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "replay-aware-logging",
  description: "Disallow console logging in orchestration code, which repeats on every replay; use context.logger",
  recommended: "recommended",
  message: "{{source}}{{where}} is written again on every replay, duplicating the log; {{fix}}.",
  hasSuggestions: true,
});
