import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-swallowed-suspension",
  description: "Disallow catching around durable operations without rethrowing",
  recommended: "recommended",
  message: "This {{source}}{{where}} {{problem}}: it swallows the operations' failures and, on runtimes that suspend by throwing, the suspension itself; {{fix}}.",
  hasSuggestions: false,
});
