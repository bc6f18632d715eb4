import type ts from "typescript";
import typescript from "./typescript.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, canHaveModifiers, isAsExpression, isBinaryExpression, isBreakOrContinueStatement, isCallExpression, isDeleteExpression, isExportSpecifier, isFunctionLike, isImportClause, isImportSpecifier, isLabeledStatement, isNamespaceImport, isNewExpression, isNonNullExpression, isParenthesizedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isQualifiedName, isSatisfiesExpression, isShorthandPropertyAssignment, isTypeAssertionExpression, isTypeQueryNode, isTypeReferenceNode } = typescript;

/** Small syntactic predicates shared by the analysis. */

/** The expression under parentheses, `!`, `as`, `satisfies` and `<T>` assertions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (
      isParenthesizedExpression(current) ||
      isNonNullExpression(current) ||
      isAsExpression(current) ||
      isSatisfiesExpression(current) ||
      isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** True when the node is what a call or `new` calls. */
export function isCallee(node: ts.Node): boolean {
  const parent = node.parent;
  return (isCallExpression(parent) || isNewExpression(parent)) && parent.expression === node;
}

/** An assignment, compound assignment, ++/--, or delete. */
export function isWrite(node: ts.Node): boolean {
  if (isBinaryExpression(node)) {
    return node.operatorToken.kind >= SyntaxKind.FirstAssignment && node.operatorToken.kind <= SyntaxKind.LastAssignment;
  }
  if (isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) {
    return node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken;
  }
  return isDeleteExpression(node);
}

/** True for an identifier read as a value, not a name being declared or a property key. */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  if (isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (isShorthandPropertyAssignment(parent)) return true;
  if (parent.name === identifier || parent.propertyName === identifier) return false;
  return !(
    isImportSpecifier(parent) ||
    isImportClause(parent) ||
    isNamespaceImport(parent) ||
    isExportSpecifier(parent) ||
    isTypeReferenceNode(parent) ||
    isQualifiedName(parent) ||
    isLabeledStatement(parent) ||
    isBreakOrContinueStatement(parent) ||
    isTypeQueryNode(parent)
  );
}

/** The innermost function around a node. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

export function isAsyncFunction(fn: ts.Node): boolean {
  // node.modifiers holds what ts.getModifiers returns, and decorators, which are never `async`.
  return canHaveModifiers(fn) && (fn.modifiers?.some((modifier) => modifier.kind === SyntaxKind.AsyncKeyword) ?? false);
}

/** True when the innermost function around a node is async, so `await` is allowed there. */
export function isInAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && isAsyncFunction(fn);
}
