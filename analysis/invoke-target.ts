import type ts from "typescript";
import typescript from "./typescript.js";
import type { ScopeResolver } from "./scope.js";
import { skipOuterExpressions } from "./syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { NodeFlags, SyntaxKind, TypeFlags, isArrayLiteralExpression, isIdentifier, isNumericLiteral, isObjectLiteralExpression, isStringLiteralLike, isTemplateExpression, isVariableDeclaration, isVariableDeclarationList } = typescript;

/**
 * `context.invoke` must target a published version or alias: a durable function runs
 * only from a qualified ARN. This finds literal targets that are unqualified or `$LATEST`.
 */
export interface InvokeTargetProblem {
  readonly node: ts.Expression;
  readonly target: string;
  readonly problem: string;
}

export function checkInvokeTarget(
  call: ts.CallExpression,
  scopes: ScopeResolver,
  checker: ts.TypeChecker | undefined,
): InvokeTargetProblem | undefined {
  const target = targetArgument(call, scopes, checker);
  if (!target) return undefined;
  const text = staticText(target, scopes);
  if (!text) return undefined;
  const qualifier = qualifierOf(text.value, text.complete);
  if (qualifier === undefined) return undefined;
  if (qualifier === "") {
    return { node: target, target: text.display, problem: "names a function without a version or alias" };
  }
  if (qualifier === "$LATEST") {
    return { node: target, target: text.display, problem: "targets $LATEST, which is not a published version" };
  }
  return undefined;
}

/** AWS's rule: when the second argument is a string, the first is the operation's name. */
function targetArgument(call: ts.CallExpression, scopes: ScopeResolver, checker: ts.TypeChecker | undefined): ts.Expression | undefined {
  const [first, second] = call.arguments;
  if (!first) return undefined;
  if (!second) return first;
  const secondIsString = isStringValued(second, scopes, checker);
  if (secondIsString === undefined) return undefined;
  return secondIsString ? second : first;
}

function isStringValued(expression: ts.Expression, scopes: ScopeResolver, checker: ts.TypeChecker | undefined): boolean | undefined {
  const node = skipOuterExpressions(expression);
  if (isStringLiteralLike(node) || isTemplateExpression(node)) return true;
  if (
    isObjectLiteralExpression(node) ||
    isArrayLiteralExpression(node) ||
    isNumericLiteral(node) ||
    node.kind === SyntaxKind.TrueKeyword ||
    node.kind === SyntaxKind.FalseKeyword ||
    node.kind === SyntaxKind.NullKeyword
  ) {
    return false;
  }
  const constant = constInitializer(node, scopes);
  if (constant) return isStringValued(constant, scopes, checker);
  if (checker) {
    const type = checker.getTypeAtLocation(node);
    return (type.flags & TypeFlags.StringLike) !== 0;
  }
  return undefined;
}

interface StaticText {
  readonly value: string;
  /** False when the text ends in an interpolation, so only its fixed part is known. */
  readonly complete: boolean;
  readonly display: string;
}

function staticText(expression: ts.Expression, scopes: ScopeResolver, depth = 0): StaticText | undefined {
  const node = skipOuterExpressions(expression);
  if (isStringLiteralLike(node)) return { value: node.text, complete: true, display: `"${node.text}"` };
  if (isTemplateExpression(node)) {
    const tail = node.templateSpans[node.templateSpans.length - 1]!.literal.text;
    // Only the fixed text after the last interpolation can show the qualifier.
    return { value: tail, complete: false, display: node.getText() };
  }
  const constant = depth < 8 ? constInitializer(node, scopes) : undefined;
  return constant ? staticText(constant, scopes, depth + 1) : undefined;
}

function constInitializer(node: ts.Expression, scopes: ScopeResolver): ts.Expression | undefined {
  if (!isIdentifier(node)) return undefined;
  const declaration = scopes.resolveIdentifier(node)?.parent;
  if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  return isVariableDeclarationList(list) && list.flags & NodeFlags.Const ? declaration.initializer : undefined;
}

/**
 * The qualifier of a Lambda function identifier: "" when there is none, undefined when
 * it cannot be known. Accepted forms: name, name:qualifier, account:function:name[:qualifier],
 * arn:partition:lambda:region:account:function:name[:qualifier].
 */
export function qualifierOf(identifier: string, complete: boolean): string | undefined {
  if (!complete) {
    // `${name}:prod` or `...:function:${name}`: judge only an explicit trailing qualifier.
    const match = /:([^:]*)$/.exec(identifier);
    return match && match[1] ? match[1] : undefined;
  }
  const parts = identifier.split(":");
  let qualifierIndex: number;
  if (parts[0] === "arn") qualifierIndex = 7;
  else if (parts[1] === "function") qualifierIndex = 3;
  else qualifierIndex = 1;
  if (parts.length > qualifierIndex + 1 || parts.length < qualifierIndex) return undefined;
  return parts[qualifierIndex] ?? "";
}
