import ts from "typescript";
import type { Finding } from "../finding.js";
import { structureFinding, type StructureCheck } from "../walk-result.js";

/**
 * A parent's context used inside a child context, parallel branch or map item: its
 * operations are keyed under the parent, so concurrent children interleave their
 * identities and replay can hand one child another's results.
 */
export const outerContextInChild: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  for (const { node: identifier, unit } of walk.identifiers) {
    const declaration = walk.scopes.resolveIdentifier(identifier);
    const parameter = declaration?.parent;
    if (!parameter || !ts.isParameter(parameter) || !walk.contextParameters.has(parameter)) continue;
    const child = childBodyBetween(identifier, parameter.parent, walk.childBodies);
    if (!child) continue;
    const own = child.parameters[0];
    const ownName = own && ts.isIdentifier(own.name) ? own.name.text : undefined;
    findings.push(
      structureFinding(walk, {
        rule: "no-outer-context-in-child",
        node: identifier,
        unit,
        source: identifier.text,
        fix: ownName ? `use the child's own context, ${ownName}` : "take the child's context as the function's first parameter and use it",
        suggestions: ownName
          ? [{ kind: "useChildContext", data: { replacement: ownName }, edits: [{ start: identifier.getStart(walk.sourceFile), end: identifier.getEnd(), text: ownName }] }]
          : [],
      }),
    );
  }
  return findings;
};

/** The innermost child context body between a use and the function that declares the context. */
function childBodyBetween(use: ts.Node, owner: ts.Node, childBodies: ReadonlySet<ts.Node>): ts.SignatureDeclaration | undefined {
  for (let current = use.parent; current && current !== owner; current = current.parent) {
    if (childBodies.has(current) && ts.isFunctionLike(current)) return current;
  }
  return undefined;
}
