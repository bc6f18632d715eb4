import ts from "typescript";

/** Small syntactic predicates shared by the analysis. */

/** The expression under parentheses, `!`, `as`, `satisfies` and `<T>` assertions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isTypeAssertionExpression(current)
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
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node;
}

/** An assignment, compound assignment, ++/--, or delete. */
export function isWrite(node: ts.Node): boolean {
  if (ts.isBinaryExpression(node)) {
    return node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    return node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return ts.isDeleteExpression(node);
}

/** True for an identifier read as a value, not a name being declared or a property key. */
export function isValueReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === identifier;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (parent.name === identifier || parent.propertyName === identifier) return false;
  return !(
    ts.isImportSpecifier(parent) ||
    ts.isImportClause(parent) ||
    ts.isNamespaceImport(parent) ||
    ts.isExportSpecifier(parent) ||
    ts.isTypeReferenceNode(parent) ||
    ts.isQualifiedName(parent) ||
    ts.isLabeledStatement(parent) ||
    ts.isBreakOrContinueStatement(parent) ||
    ts.isTypeQueryNode(parent)
  );
}

/** The innermost function around a node. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return current;
  }
  return undefined;
}

export function isAsyncFunction(fn: ts.Node): boolean {
  return ts.canHaveModifiers(fn) && (ts.getModifiers(fn)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false);
}

/** True when the innermost function around a node is async, so `await` is allowed there. */
export function isInAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && isAsyncFunction(fn);
}
