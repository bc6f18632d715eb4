import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-env-outside-step",
  description:
    "Disallow environment and command-line reads in orchestration code that a replay can see changed: per-invocation variables, variables the code writes, the whole environment",
  recommended: "recommended",
  message: "{{source}}{{where}} {{problem}}; {{fix}}.",
  hasSuggestions: true,
  options: {
    // A function that runs on $LATEST (AllowInvokeLatest) can be redeployed under a waiting
    // execution: then every read of its configuration is a hazard too.
    names: ["runsOnLatest"],
    keep: (finding, options) => !finding.configurationRead || options.runsOnLatest === true,
  },
});
