import ts from "typescript";
import type { ScopeResolver } from "../scope.js";
import { skipOuterExpressions } from "../syntax.js";

/** Methods that change the array, Map or Set they are called on. */
export const MUTATING_METHODS = new Set([
  "push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin",
  "set", "add", "delete", "clear",
]);

const CONTAINER_CLASSES = new Set(["Array", "Map", "Set", "WeakMap", "WeakSet"]);

/**
 * The expressions a write changes: the left side of an assignment (each target of a
 * destructuring assignment), the operand of ++/-- or delete, the object of a mutating
 * method call on a known array, Map or Set, the first argument of Object.assign.
 */
export function writtenTargets(node: ts.Node, scopes: ScopeResolver, checker?: ts.TypeChecker): ts.Expression[] {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
    return assignmentTargets(node.left);
  }
  if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
    return [node.operand];
  }
  if (ts.isDeleteExpression(node)) return [node.expression];
  if (ts.isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text) && isContainer(callee.expression, scopes, checker)) {
      return [callee.expression];
    }
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === "assign" && ts.isIdentifier(callee.expression) &&
      callee.expression.text === "Object" && node.arguments[0]) {
      return [node.arguments[0]];
    }
  }
  return [];
}

function assignmentTargets(left: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(left);
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.flatMap((element) => assignmentTargets(ts.isSpreadElement(element) ? element.expression : element));
  }
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) => {
      if (ts.isShorthandPropertyAssignment(property)) return [property.name];
      if (ts.isPropertyAssignment(property)) return assignmentTargets(property.initializer);
      if (ts.isSpreadAssignment(property)) return assignmentTargets(property.expression);
      return [];
    });
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) return assignmentTargets(node.left);
  return [node];
}

/** `order.items[0].qty` gives `order`; `this.x` and call results give undefined. */
export function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let node = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return ts.isIdentifier(node) ? node : undefined;
}

/**
 * `redis.set(...)` is I/O, `totals.set(...)` a mutation: a method name alone cannot tell.
 * A receiver is a container when its type says so, or when it is a variable initialised
 * with an array or object literal or `new Map/Set/Array/WeakMap/WeakSet(...)`.
 */
function isContainer(receiver: ts.Expression, scopes: ScopeResolver, checker: ts.TypeChecker | undefined): boolean {
  if (checker) {
    const type = checker.getTypeAtLocation(receiver);
    const name = type.getSymbol()?.getName();
    if (checker.isArrayType(type) || (name && CONTAINER_CLASSES.has(name))) return true;
  }
  const initializer = literalValueOf(receiver, scopes, 0);
  if (!initializer) return false;
  if (ts.isArrayLiteralExpression(initializer) || ts.isObjectLiteralExpression(initializer)) return true;
  return ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression) && CONTAINER_CLASSES.has(initializer.expression.text);
}

/** The literal an expression was initialised with: `summary.failed` where `const summary = { failed: [] }` gives `[]`. */
function literalValueOf(expression: ts.Expression, scopes: ScopeResolver, depth: number): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(node)) {
    const declaration = scopes.resolveIdentifier(node)?.parent;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    return skipOuterExpressions(declaration.initializer);
  }
  if (ts.isPropertyAccessExpression(node)) {
    const holder = literalValueOf(node.expression, scopes, depth + 1);
    if (!holder || !ts.isObjectLiteralExpression(holder)) return undefined;
    const property = holder.properties.find((candidate) => candidate.name && ts.isIdentifier(candidate.name) && candidate.name.text === node.name.text);
    return property && ts.isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
  }
  return undefined;
}
