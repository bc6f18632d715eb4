import ts from "typescript";
import type { ScopeResolver } from "./scope.js";
import { skipOuterExpressions } from "./syntax.js";

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
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (ts.isPropertyAccessExpression(node)) return methodOf(node, scopes);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = scopes.resolveIdentifier(node);
  return declaration ? functionOfDeclaration(declaration) : undefined;
}

function methodOf(access: ts.PropertyAccessExpression, scopes: ScopeResolver): FunctionNode | undefined {
  const holder = objectLiteralOf(access.expression, scopes, 0);
  const member = holder?.properties.find((property) => property.name && ts.isIdentifier(property.name) && property.name.text === access.name.text);
  if (!member) return undefined;
  if (ts.isMethodDeclaration(member)) return member.body ? member : undefined;
  if (!ts.isPropertyAssignment(member)) return undefined;
  const value = skipOuterExpressions(member.initializer);
  return ts.isArrowFunction(value) || ts.isFunctionExpression(value) ? value : undefined;
}

/** The object literal a `const` (or a property of one) was initialised with. */
export function objectLiteralOf(expression: ts.Expression, scopes: ScopeResolver, depth: number): ts.ObjectLiteralExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return undefined;
  let value: ts.Expression | undefined;
  if (ts.isIdentifier(node)) {
    const declaration = scopes.resolveIdentifier(node)?.parent;
    const isConst = declaration && ts.isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
    value = isConst ? (declaration as ts.VariableDeclaration).initializer : undefined;
  } else if (ts.isPropertyAccessExpression(node)) {
    const holder = objectLiteralOf(node.expression, scopes, depth + 1);
    const member = holder?.properties.find((property) => property.name && ts.isIdentifier(property.name) && property.name.text === node.name.text);
    value = member && ts.isPropertyAssignment(member) ? member.initializer : undefined;
  }
  const literal = value && skipOuterExpressions(value);
  return literal && ts.isObjectLiteralExpression(literal) ? literal : undefined;
}

export function functionOfDeclaration(declaration: ts.Identifier): FunctionNode | undefined {
  const parent = declaration.parent;
  if (ts.isFunctionDeclaration(parent) && parent.body) return parent;
  if (ts.isVariableDeclaration(parent) && parent.name === declaration && parent.initializer) {
    const initializer = skipOuterExpressions(parent.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

/** True when a function is declared rather than passed inline: it runs only where it is called. */
export function isDeclaredFunction(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) return true;
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return true;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    let holder: ts.Node = node.parent;
    while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder)) {
      holder = holder.parent;
    }
    if (ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) return true;
    // `const tools = { search: async () => ... }`: a named object's functions run where called.
    return ts.isPropertyAssignment(holder) && isNamedObject(holder.parent);
  }
  return false;
}

function isNamedObject(literal: ts.ObjectLiteralExpression): boolean {
  let holder: ts.Node = literal.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder)) holder = holder.parent;
  if (ts.isVariableDeclaration(holder)) return true;
  return ts.isPropertyAssignment(holder) && isNamedObject(holder.parent);
}
