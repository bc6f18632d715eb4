import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-module-state",
  description: "Disallow reading or writing module-level variables, mutating module-level objects, or reading module-level values computed from randomness, the clock or a per-container value (process.env._X_AMZN_TRACE_ID), in orchestration code",
  recommended: "recommended",
  message: "{{source}}{{where}} {{problem}} in orchestration code: module state lives as long as the container, so a replay elsewhere sees another value; {{fix}}.",
  hasSuggestions: false,
});
