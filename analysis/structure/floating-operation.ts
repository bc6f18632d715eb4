import ts from "typescript";
import type { Finding } from "../finding.js";
import type { ScopeResolver } from "../scope.js";
import { enclosingFunction, isAsyncFunction } from "../syntax.js";
import { operationLabel, structureFinding, type StructureCheck } from "../walk-result.js";

/**
 * A durable operation neither awaited, returned, nor passed on: its failure is lost, and
 * the handler can return before the operation is recorded.
 */
export const floatingOperations: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  for (const [call, unit] of walk.operationUnits) {
    const holder = outermostChain(call);
    if (!isFloating(holder, walk.scopes)) continue;
    const asyncFunction = enclosingFunction(holder);
    const canAwait = asyncFunction !== undefined && isAsyncFunction(asyncFunction) && ts.isExpressionStatement(holder.parent);
    findings.push(
      structureFinding(walk, {
        rule: "no-floating-durable-operation",
        node: call,
        unit,
        source: operationLabel(call, walk.sourceFile),
        fix: "await it, return it, or pass it to context.promise.all(...)",
        suggestions: canAwait
          ? [{ kind: "awaitOperation", data: {}, edits: [{ start: holder.getStart(walk.sourceFile), end: holder.getStart(walk.sourceFile), text: "await " }] }]
          : [],
      }),
    );
  }
  return findings;
};

/** `ctx.step(...).then(...).catch(...)`: the expression whose value holds the operation's promise. */
function outermostChain(call: ts.Expression): ts.Expression {
  let node: ts.Expression = call;
  for (;;) {
    const parent = node.parent;
    if (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
      node = parent;
    } else if (
      ts.isPropertyAccessExpression(parent) &&
      ["then", "catch", "finally"].includes(parent.name.text) &&
      ts.isCallExpression(parent.parent) &&
      parent.parent.expression === parent
    ) {
      node = parent.parent;
    } else {
      return node;
    }
  }
}

function isFloating(holder: ts.Expression, scopes: ScopeResolver): boolean {
  const parent = holder.parent;
  if (ts.isExpressionStatement(parent) || ts.isVoidExpression(parent)) return true;
  if (ts.isVariableDeclaration(parent) && parent.initializer === holder && ts.isIdentifier(parent.name)) {
    return !isReferenced(parent.name, scopes);
  }
  return false;
}

/** True when any other identifier in the declaring scope resolves to this declaration. */
function isReferenced(name: ts.Identifier, scopes: ScopeResolver): boolean {
  const scope = enclosingFunction(name) ?? name.getSourceFile();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node !== name && node.text === name.text && scopes.resolveIdentifier(node) === name) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}
