import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import type { ScopeResolver } from "../scope.js";
import { enclosingFunction, isAsyncFunction } from "../syntax.js";
import { operationLabel, structureFinding, type StructureCheck } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, forEachChild, isArrowFunction, isAsExpression, isBinaryExpression, isCallExpression, isConditionalExpression, isExpressionStatement, isIdentifier, isNonNullExpression, isParenthesizedExpression, isPropertyAccessExpression, isReturnStatement, isSatisfiesExpression, isVariableDeclaration, isVoidExpression } = typescript;

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
    const canAwait = asyncFunction !== undefined && isAsyncFunction(asyncFunction) && isExpressionStatement(holder.parent) && !isConditionalExpression(holder) && !isBinaryExpression(holder);
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

/**
 * The expression whose value holds the operation's promise: through `.then/.catch/.finally`
 * chains, parentheses, and the arms of `a && op`, `a ? op : other` and comma lists.
 */
function outermostChain(call: ts.Expression): ts.Expression {
  let node: ts.Expression = call;
  for (;;) {
    const parent = node.parent;
    if (isParenthesizedExpression(parent) || isAsExpression(parent) || isNonNullExpression(parent) || isSatisfiesExpression(parent)) {
      node = parent;
    } else if (
      isPropertyAccessExpression(parent) &&
      ["then", "catch", "finally"].includes(parent.name.text) &&
      isCallExpression(parent.parent) &&
      parent.parent.expression === parent
    ) {
      node = parent.parent;
    } else if (isConditionalExpression(parent) && parent.condition !== node) {
      node = parent;
    } else if (isBinaryExpression(parent) && parent.right === node && LOGICAL_OR_COMMA.has(parent.operatorToken.kind)) {
      node = parent;
    } else {
      return node;
    }
  }
}

const LOGICAL_OR_COMMA = new Set([
  SyntaxKind.AmpersandAmpersandToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
  SyntaxKind.CommaToken,
]);

function isFloating(holder: ts.Expression, scopes: ScopeResolver): boolean {
  const parent = holder.parent;
  if (isExpressionStatement(parent) || isVoidExpression(parent)) return true;
  if (isVariableDeclaration(parent) && parent.initializer === holder) {
    // `const { status } = ctx.step(...)` destructures the promise, not the result.
    return isIdentifier(parent.name) ? !isReferenced(parent.name, scopes) : true;
  }
  const callback = returnedFrom(holder);
  if (callback) {
    const call = callback.parent;
    // `.map(() => op)` as a statement: the array of promises is dropped.
    if (isCallExpression(call) && isPropertyAccessExpression(call.expression) && ARRAY_RESULT_METHODS.has(call.expression.name.text)) {
      return isFloating(outermostChain(call), scopes);
    }
  }
  return awaitedInsideForEach(holder);
}

const ARRAY_RESULT_METHODS = new Set(["map", "flatMap"]);

/** The inline callback whose (concise) body or return statement is this expression. */
function returnedFrom(holder: ts.Expression): ts.SignatureDeclaration | undefined {
  const parent = holder.parent;
  if (isArrowFunction(parent) && parent.body === holder) return parent;
  if (isReturnStatement(parent)) return enclosingFunction(parent);
  return undefined;
}

/** `items.forEach(async (item) => { await ctx.step(...) })`: forEach drops the callback's promise. */
function awaitedInsideForEach(holder: ts.Expression): boolean {
  const callback = enclosingFunction(holder);
  if (!callback || !isAsyncFunction(callback)) return false;
  const call = callback.parent;
  return (
    isCallExpression(call) &&
    call.arguments.includes(callback as ts.Expression) &&
    isPropertyAccessExpression(call.expression) &&
    call.expression.name.text === "forEach"
  );
}

/** True when any other identifier in the declaring scope resolves to this declaration. */
function isReferenced(name: ts.Identifier, scopes: ScopeResolver): boolean {
  const scope = enclosingFunction(name) ?? name.getSourceFile();
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isIdentifier(node) && node !== name && node.text === name.text && scopes.resolveIdentifier(node) === name) {
      found = true;
      return;
    }
    forEachChild(node, visit);
  };
  visit(scope);
  return found;
}
