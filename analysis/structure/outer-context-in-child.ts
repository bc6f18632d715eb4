import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { CONTEXT_ROOT, referencePathOf } from "../reference-path.js";
import { structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { isFunctionLike, isIdentifier, isParameter } = typescript;

/**
 * A parent's context used inside a child context, parallel branch or map item: its
 * operations are keyed under the parent, so concurrent children interleave their
 * identities and replay can hand one child another's results.
 */
export const outerContextInChild: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  if (walk.childBodies.size === 0) return findings;
  for (const { node: identifier, unit } of walk.identifiers) {
    const declaration = walk.scopes.resolveIdentifier(identifier);
    if (!declaration || !holdsContext(identifier, declaration, walk)) continue;
    const child = childBodyBetween(identifier, declaration, walk.childBodies);
    if (!child) continue;
    const own = child.parameters[0];
    const ownName = own && isIdentifier(own.name) ? own.name.text : undefined;
    findings.push(
      structureFinding(walk, {
        rule: "no-outer-context-in-child",
        node: identifier,
        unit,
        source: identifier.text,
        problem:
          unit.handler.runtime === "aws"
            ? "the AWS SDK stops the execution with a context usage error when a child uses its parent's context"
            : "its operations are keyed under the parent, so concurrent children share identities and replay can hand one child another's results",
        fix: ownName ? `use the child's own context, ${ownName}` : "take the child's context as the function's first parameter and use it",
        suggestions: ownName
          ? [{ kind: "useChildContext", data: { replacement: ownName }, edits: [{ start: identifier.getStart(walk.sourceFile), end: identifier.getEnd(), text: ownName }] }]
          : [],
      }),
    );
  }
  return findings;
};

/** A context parameter, or a local alias of one (`const parent = context`). */
function holdsContext(identifier: ts.Identifier, declaration: ts.Identifier, walk: WalkResult): boolean {
  const parameter = declaration.parent;
  if (isParameter(parameter)) return walk.contextParameters.has(parameter);
  return referencePathOf(identifier, walk.resolution) === CONTEXT_ROOT;
}

/** The innermost child context body around a use that does not contain the context's declaration. */
function childBodyBetween(use: ts.Node, declaration: ts.Node, childBodies: ReadonlySet<ts.Node>): ts.SignatureDeclaration | undefined {
  for (let current = use.parent; current; current = current.parent) {
    if (declaration.pos >= current.pos && declaration.end <= current.end) return undefined;
    if (childBodies.has(current) && isFunctionLike(current)) return current;
  }
  return undefined;
}
