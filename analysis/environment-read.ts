import type ts from "typescript";
import typescript from "./typescript.js";
import { skipOuterExpressions } from "./syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, isBinaryExpression, isCallExpression, isDeleteExpression, isElementAccessExpression, isIdentifier, isObjectBindingPattern, isParenthesizedExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isStringLiteralLike, isVariableDeclaration } = typescript;

/**
 * Variables Lambda sets per invocation or per execution environment: a replay, which is a new
 * invocation and may run in another environment, reads other values.
 */
export const PER_INVOCATION_VARIABLES: ReadonlySet<string> = new Set([
  "_X_AMZN_TRACE_ID",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
]);

/**
 * What a read of the environment object (`process.env`, an alias of it, `Deno.env`) does:
 * - "configuration": reads named variables of the function's configuration. A durable
 *   execution runs on one published version, whose environment variables are immutable, so
 *   the value is the same on every replay (unless the function runs on $LATEST);
 * - "per-invocation": reads a variable Lambda sets per invocation or environment;
 * - "written": reads a variable the file itself writes into the environment, or writes one:
 *   the write lives in one container, and a replay in a fresh one does not see it;
 * - "whole": uses the object as a whole (spread, passed on, aliased), per-invocation variables included.
 */
export type EnvironmentUse =
  | { readonly kind: "configuration"; readonly names: readonly string[] }
  | { readonly kind: "per-invocation"; readonly names: readonly string[] }
  | { readonly kind: "written"; readonly names: readonly string[]; readonly write: boolean }
  | { readonly kind: "whole" };

/** How the environment object at `node` is used, given the variable names the file writes. */
export function environmentUseAt(node: ts.Node, written: ReadonlySet<string>): EnvironmentUse {
  const access = namesReadAt(node);
  if (!access) return { kind: "whole" };
  const { names, write } = access;
  if (write) return { kind: "written", names, write };
  const perInvocation = names.filter((name) => PER_INVOCATION_VARIABLES.has(name));
  if (perInvocation.length > 0) return { kind: "per-invocation", names: perInvocation };
  const rewritten = names.filter((name) => written.has(name));
  if (rewritten.length > 0) return { kind: "written", names: rewritten, write: false };
  return { kind: "configuration", names };
}

/**
 * `process.env.X`, `process.env["X"]`, `Deno.env.get("X")`, `const { X, Y } = process.env`:
 * the names read, and whether the site writes the variable; undefined for any other use.
 * A computed key that is no literal (`process.env[name]`) reads configuration by name too.
 */
function namesReadAt(node: ts.Node): { names: string[]; write: boolean } | undefined {
  let expression = node;
  while (isParenthesizedExpression(expression.parent)) expression = expression.parent;
  const parent = expression.parent;
  if (isPropertyAccessExpression(parent) && parent.expression === expression) {
    if (isCallExpression(parent.parent) && parent.parent.expression === parent) {
      // Deno.env.get("X") reads one variable; Deno.env.toObject() and the like, the whole environment.
      const [key] = parent.parent.arguments;
      if (parent.name.text !== "get") return undefined;
      return { names: [key && isStringLiteralLike(key) ? key.text : "(computed)"], write: false };
    }
    return { names: [parent.name.text], write: isWriteTarget(parent) };
  }
  if (isElementAccessExpression(parent) && parent.expression === expression) {
    const key = skipOuterExpressions(parent.argumentExpression);
    return { names: [isStringLiteralLike(key) ? key.text : "(computed)"], write: isWriteTarget(parent) };
  }
  if (isVariableDeclaration(parent) && parent.initializer === expression && isObjectBindingPattern(parent.name)) {
    const names: string[] = [];
    for (const element of parent.name.elements) {
      if (element.dotDotDotToken) return undefined;
      const key = element.propertyName ?? element.name;
      if (isIdentifier(key) || isStringLiteralLike(key)) names.push(key.text);
      else return undefined;
    }
    return { names, write: false };
  }
  return undefined;
}

function isWriteTarget(access: ts.Expression): boolean {
  const parent = access.parent;
  if (isDeleteExpression(parent)) return true;
  if (isPrefixUnaryExpression(parent) || isPostfixUnaryExpression(parent)) {
    return parent.operator === SyntaxKind.PlusPlusToken || parent.operator === SyntaxKind.MinusMinusToken;
  }
  return (
    isBinaryExpression(parent) &&
    parent.left === access &&
    parent.operatorToken.kind >= SyntaxKind.FirstAssignment &&
    parent.operatorToken.kind <= SyntaxKind.LastAssignment
  );
}

const WRITE = /\benv\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["'`]([^"'`]+)["'`]\s*\])\s*(?:[-+*/%&|^]|\?\?|\|\||&&|\*\*|<<|>>>?)?=(?!=)/g;
const DELETE = /\bdelete\s+[\w$.]*\benv\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["'`]([^"'`]+)["'`]\s*\])/g;

/**
 * Names the file writes into an environment object anywhere, step code and module scope
 * included (`process.env.X = ...`, `delete process.env.X`). Read from the text: a write the
 * pattern misses leaves a read of it counted as configuration.
 */
export function writtenEnvironmentNames(text: string): Set<string> {
  const names = new Set<string>();
  if (!text.includes("env")) return names;
  for (const pattern of [WRITE, DELETE]) {
    for (const match of text.matchAll(pattern)) names.add(match[1] ?? match[2]!);
  }
  return names;
}
