import type ts from "typescript";
import typescript from "./typescript.js";
import type { ScopeResolver } from "./scope.js";
import { skipOuterExpressions } from "./syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { NodeFlags, isArrowFunction, isAsExpression, isConstructorDeclaration, isFunctionDeclaration, isFunctionExpression, isGetAccessorDeclaration, isIdentifier, isMethodDeclaration, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSatisfiesExpression, isSetAccessorDeclaration, isVariableDeclaration } = typescript;

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration;

/**
 * The function an expression denotes in this file: an inline function, a name bound to a
 * function declaration or to a `const` initialised with a function, or a method of a
 * `const` object literal (`pricing.quote` where `const pricing = { quote() {...} }`).
 */
export function functionOfReference(expression: ts.Expression, scopes: ScopeResolver): FunctionNode | undefined {
  const node = skipOuterExpressions(expression);
  if (isArrowFunction(node) || isFunctionExpression(node)) return node;
  if (isPropertyAccessExpression(node)) return methodOf(node, scopes);
  if (!isIdentifier(node)) return undefined;
  const declaration = scopes.resolveIdentifier(node);
  return declaration ? functionOfDeclaration(declaration) : undefined;
}

function methodOf(access: ts.PropertyAccessExpression, scopes: ScopeResolver): FunctionNode | undefined {
  const holder = objectLiteralOf(access.expression, scopes, 0);
  const member = holder?.properties.find((property) => property.name && isIdentifier(property.name) && property.name.text === access.name.text);
  if (!member) return undefined;
  if (isMethodDeclaration(member)) return member.body ? member : undefined;
  if (!isPropertyAssignment(member)) return undefined;
  const value = skipOuterExpressions(member.initializer);
  return isArrowFunction(value) || isFunctionExpression(value) ? value : undefined;
}

/** The object literal a `const` (or a property of one) was initialised with. */
export function objectLiteralOf(expression: ts.Expression, scopes: ScopeResolver, depth: number): ts.ObjectLiteralExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return undefined;
  let value: ts.Expression | undefined;
  if (isIdentifier(node)) {
    const declaration = scopes.resolveIdentifier(node)?.parent;
    const isConst = declaration && isVariableDeclaration(declaration) && (declaration.parent.flags & NodeFlags.Const) !== 0;
    value = isConst ? (declaration as ts.VariableDeclaration).initializer : undefined;
  } else if (isPropertyAccessExpression(node)) {
    const holder = objectLiteralOf(node.expression, scopes, depth + 1);
    const member = holder?.properties.find((property) => property.name && isIdentifier(property.name) && property.name.text === node.name.text);
    value = member && isPropertyAssignment(member) ? member.initializer : undefined;
  }
  const literal = value && skipOuterExpressions(value);
  return literal && isObjectLiteralExpression(literal) ? literal : undefined;
}

export function functionOfDeclaration(declaration: ts.Identifier): FunctionNode | undefined {
  const parent = declaration.parent;
  if (isFunctionDeclaration(parent) && parent.body) return parent;
  if (isVariableDeclaration(parent) && parent.name === declaration && parent.initializer) {
    const initializer = skipOuterExpressions(parent.initializer);
    if (isArrowFunction(initializer) || isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

/** True when a function is declared rather than passed inline: it runs only where it is called. */
export function isDeclaredFunction(node: ts.Node): boolean {
  if (isFunctionDeclaration(node) || isMethodDeclaration(node) || isConstructorDeclaration(node)) return true;
  if (isGetAccessorDeclaration(node) || isSetAccessorDeclaration(node)) return true;
  if (isArrowFunction(node) || isFunctionExpression(node)) {
    let holder: ts.Node = node.parent;
    while (isParenthesizedExpression(holder) || isAsExpression(holder) || isSatisfiesExpression(holder)) {
      holder = holder.parent;
    }
    if (isVariableDeclaration(holder) || isPropertyDeclaration(holder)) return true;
    // `const tools = { search: async () => ... }`: a named object's functions run where called.
    return isPropertyAssignment(holder) && isNamedObject(holder.parent);
  }
  return false;
}

function isNamedObject(literal: ts.ObjectLiteralExpression): boolean {
  let holder: ts.Node = literal.parent;
  while (isParenthesizedExpression(holder) || isAsExpression(holder) || isSatisfiesExpression(holder)) holder = holder.parent;
  if (isVariableDeclaration(holder)) return true;
  return isPropertyAssignment(holder) && isNamedObject(holder.parent);
}
