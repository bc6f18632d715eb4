import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { functionOfReference } from "../functions.js";
import { skipOuterExpressions } from "../syntax.js";
import { structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isArrayBindingPattern, isAwaitExpression, isBindingElement, isBlock, isCallExpression, isFunctionLike, isIdentifier, isObjectBindingPattern, isPropertyAccessExpression, isThrowStatement, isVariableDeclaration } = typescript;

/**
 * A catch around durable operations that does not rethrow: it swallows the operations'
 * failures, and on runtimes that suspend by throwing, the suspension itself, so the
 * handler carries on as if a wait had finished.
 */
export const swallowedSuspension: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  const issuing = functionsIssuingOperations(walk);
  for (const { node: statement, unit } of walk.tries) {
    const clause = statement.catchClause;
    if (!clause || !awaitsOperations(statement.tryBlock, walk, issuing) || rethrows(clause.block)) continue;
    findings.push(
      structureFinding(walk, {
        rule: "no-swallowed-suspension",
        node: clause,
        unit,
        source: "catch",
        problem: "around durable operations does not rethrow",
        fix: "rethrow what you do not handle (`if (!(error instanceof StepError)) throw error`), or let the operation's retry strategy handle failures",
      }),
    );
  }
  for (const [call, unit] of walk.operationUnits) {
    const handler = catchHandlerOf(call);
    if (!handler) continue;
    // `.catch(console.error)`: a handler without a body of ours cannot rethrow.
    const fn = functionOfReference(handler.argument, walk.scopes);
    if (fn?.body && rethrows(fn.body)) continue;
    findings.push(
      structureFinding(walk, {
        rule: "no-swallowed-suspension",
        node: handler.name,
        unit,
        source: ".catch()",
        problem: "on a durable operation does not rethrow",
        fix: "rethrow what you do not handle, or let the operation's retry strategy handle failures",
      }),
    );
  }
  return findings;
};

/**
 * True when a try block issues or awaits durable operations: directly, through a same-file
 * helper that issues them, or by awaiting a variable that holds one (a callback promise
 * created before the try).
 */
function awaitsOperations(block: ts.Block, walk: WalkResult, issuing: ReadonlySet<ts.Node>): boolean {
  for (const call of walk.operations.keys()) {
    if (contains(block, call)) return true;
  }
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isCallExpression(node)) {
      const callee = functionOfReference(node.expression, walk.scopes);
      if (callee && issuing.has(callee)) found = true;
    } else if (isAwaitExpression(node) && isIdentifier(skipOuterExpressions(node.expression))) {
      found = holdsOperation(skipOuterExpressions(node.expression) as ts.Identifier, walk);
    }
    if (!found) forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** `const [approval] = await ctx.createCallback(...)` or `const p = ctx.step(...)`. */
function holdsOperation(identifier: ts.Identifier, walk: WalkResult): boolean {
  let declaration: ts.Node | undefined = walk.scopes.resolveIdentifier(identifier)?.parent;
  while (declaration && (isBindingElement(declaration) || isArrayBindingPattern(declaration) || isObjectBindingPattern(declaration))) {
    declaration = declaration.parent;
  }
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return false;
  let value = skipOuterExpressions(declaration.initializer);
  if (isAwaitExpression(value)) value = skipOuterExpressions(value.expression);
  return isCallExpression(value) && walk.operations.has(value);
}

/** Functions that issue operations, directly or through the same-file helpers they call. */
function functionsIssuingOperations(walk: WalkResult): Set<ts.Node> {
  const issuing = new Set<ts.Node>();
  for (const unit of walk.operationUnits.values()) issuing.add(unit.node);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { node: call, unit } of walk.calls) {
      if (issuing.has(unit.node)) continue;
      const callee = functionOfReference(call.expression, walk.scopes);
      if (callee && issuing.has(callee)) {
        issuing.add(unit.node);
        changed = true;
      }
    }
  }
  return issuing;
}

function contains(container: ts.Node, node: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** A `throw` in the handler's own code (not in a nested function). */
function rethrows(body: ts.Node): boolean {
  if (!isBlock(body)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (isThrowStatement(node)) found = true;
    else forEachChild(node, visit);
  };
  forEachChild(body, visit);
  return found;
}

/** `ctx.step(...).catch(handler)`, also after `.then(...)`. */
function catchHandlerOf(call: ts.CallExpression): { name: ts.MemberName; argument: ts.Expression } | undefined {
  let node: ts.Expression = call;
  for (;;) {
    const access = node.parent;
    if (!isPropertyAccessExpression(access) || !isCallExpression(access.parent) || access.parent.expression !== access) return undefined;
    const argument = access.parent.arguments[0];
    if (access.name.text === "catch" && argument) return { name: access.name, argument };
    if (access.name.text !== "then") return undefined;
    node = access.parent;
  }
}
