import { createFindingRule } from "../finding-rule.js";

export default createFindingRule({
  name: "no-swallowed-suspension",
  description: "Disallow catching around durable operations without rethrowing",
  recommended: "strict",
  message: "This {{source}}{{where}} {{problem}}: it turns the operations' recorded failures into success (the same on every replay, so a matter of style, not of replay); {{fix}}.",
  hasSuggestions: false,
});
