import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-invocation-context-read",
  description: "Disallow reading per-invocation values (request id, remaining time, pid, hostname) in orchestration code",
  recommended: "recommended",
  message: "{{source}}{{where}} is different in every invocation, and each replay is a new invocation; {{fix}}.",
  hasSuggestions: true,
});
