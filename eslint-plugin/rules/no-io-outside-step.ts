import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-io-outside-step",
  description: "Disallow network, file, process and database I/O in orchestration code, where it repeats on every replay",
  recommended: "recommended",
  message: "{{source}}{{where}} does I/O outside a step: it runs again on every replay and its result is not recorded; {{fix}}.",
  hasSuggestions: false,
});
