import ts from "typescript";
import type { ScopeResolver } from "./scope.js";
import { skipOuterExpressions } from "./syntax.js";

export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration;

/**
 * The function an expression denotes in this file: an inline function, or a name bound
 * to a function declaration or to a `const` initialised with a function.
 */
export function functionOfReference(expression: ts.Expression, scopes: ScopeResolver): FunctionNode | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = scopes.resolveIdentifier(node);
  return declaration ? functionOfDeclaration(declaration) : undefined;
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
    return ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder);
  }
  return false;
}
