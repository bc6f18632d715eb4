import type ts from "typescript";
import typescript from "../typescript.js";
import type { ScopeResolver } from "../scope.js";
import { skipOuterExpressions } from "../syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, isArrayLiteralExpression, isBinaryExpression, isCallExpression, isDeleteExpression, isElementAccessExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isVariableDeclaration } = typescript;

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
  if (isBinaryExpression(node) && node.operatorToken.kind >= SyntaxKind.FirstAssignment && node.operatorToken.kind <= SyntaxKind.LastAssignment) {
    return assignmentTargets(node.left);
  }
  if ((isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) &&
    (node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken)) {
    return [node.operand];
  }
  if (isDeleteExpression(node)) return [node.expression];
  if (isCallExpression(node)) {
    const callee = skipOuterExpressions(node.expression);
    if (isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text) && isContainer(callee.expression, scopes, checker)) {
      return [callee.expression];
    }
    if (isPropertyAccessExpression(callee) && callee.name.text === "assign" && isIdentifier(callee.expression) &&
      callee.expression.text === "Object" && node.arguments[0]) {
      return [node.arguments[0]];
    }
  }
  return [];
}

function assignmentTargets(left: ts.Expression): ts.Expression[] {
  const node = skipOuterExpressions(left);
  if (isArrayLiteralExpression(node)) {
    return node.elements.flatMap((element) => assignmentTargets(isSpreadElement(element) ? element.expression : element));
  }
  if (isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) => {
      if (isShorthandPropertyAssignment(property)) return [property.name];
      if (isPropertyAssignment(property)) return assignmentTargets(property.initializer);
      if (isSpreadAssignment(property)) return assignmentTargets(property.expression);
      return [];
    });
  }
  if (isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) return assignmentTargets(node.left);
  return [node];
}

/** `order.items[0].qty` gives `order`; `this.x` and call results give undefined. */
export function rootIdentifier(expression: ts.Expression): ts.Identifier | undefined {
  let node = skipOuterExpressions(expression);
  while (isPropertyAccessExpression(node) || isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return isIdentifier(node) ? node : undefined;
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
  if (isArrayLiteralExpression(initializer) || isObjectLiteralExpression(initializer)) return true;
  return isNewExpression(initializer) && isIdentifier(initializer.expression) && CONTAINER_CLASSES.has(initializer.expression.text);
}

/** The literal an expression was initialised with: `summary.failed` where `const summary = { failed: [] }` gives `[]`. */
function literalValueOf(expression: ts.Expression, scopes: ScopeResolver, depth: number): ts.Expression | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return undefined;
  if (isIdentifier(node)) {
    const declaration = scopes.resolveIdentifier(node)?.parent;
    if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    return skipOuterExpressions(declaration.initializer);
  }
  if (isPropertyAccessExpression(node)) {
    const holder = literalValueOf(node.expression, scopes, depth + 1);
    if (!holder || !isObjectLiteralExpression(holder)) return undefined;
    const property = holder.properties.find((candidate) => candidate.name && isIdentifier(candidate.name) && candidate.name.text === node.name.text);
    return property && isPropertyAssignment(property) ? skipOuterExpressions(property.initializer) : undefined;
  }
  return undefined;
}
