import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-timers",
  description: "Disallow setTimeout, setInterval, setImmediate and timers/promises in orchestration code; use context.wait",
  recommended: "recommended",
  message: "{{source}}{{where}} starts a timer in orchestration code: the wait is not recorded, keeps the function running and is lost when the execution suspends; {{fix}}.",
  hasSuggestions: true,
});
