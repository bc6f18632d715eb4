import type ts from "typescript";
import typescript from "./typescript.js";
import type { DurableRuntime } from "./durable-api.js";
import type { Suggestion, TextEdit } from "./finding.js";
import type { HazardSource } from "./hazard-catalog.js";
import { isCallee, skipOuterExpressions } from "./syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { isArrayLiteralExpression, isArrowFunction, isAwaitExpression, isCallExpression, isElementAccessExpression, isExpressionStatement, isFunctionLike, isIdentifier, isNewExpression, isNumericLiteral, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isStringLiteralLike, isTemplateSpan, isVariableDeclaration } = typescript;

/** What a suggestion needs to know of the place a finding sits. */
export interface SiteContext {
  readonly sourceFile: ts.SourceFile;
  /** The name of a durable context visible at the site, if any. */
  readonly contextName: string | undefined;
  /** True when the innermost function around a node is async, so `await` is allowed there. */
  readonly isInAsyncFunction: (node: ts.Node) => boolean;
  readonly runtime: DurableRuntime | undefined;
}

const LOGGER_LEVELS: Record<string, string> = { log: "info", info: "info", warn: "warn", error: "error", debug: "debug", trace: "debug" };

/** Safe rewrites for a finding, as text edits. None when no rewrite is safe. */
export function suggestionsFor(node: ts.Expression, source: HazardSource, site: SiteContext): Suggestion[] {
  const context = site.contextName;
  if (!context) return [];
  switch (source.category) {
    case "console":
      return loggerSuggestion(node, context, site.sourceFile);
    case "timer":
      return waitSuggestion(node, context, site);
    default:
      return [...helperSuggestion(node, source, context, site), ...stepSuggestion(node, source, context, site)];
  }
}

function stepSuggestion(node: ts.Expression, source: HazardSource, context: string, site: SiteContext): Suggestion[] {
  if (!site.isInAsyncFunction(node)) return [];
  const { sourceFile } = site;
  const isNewDate = isNewExpression(node) && source.category === "clock";
  let target: ts.Expression = node;
  if (source.category === "env") {
    // Record one variable, never the whole environment.
    const parent = node.parent;
    const isVariableRead =
      (isPropertyAccessExpression(parent) && parent.expression === node) ||
      (isElementAccessExpression(parent) && parent.expression === node && isStringLiteralLike(parent.argumentExpression));
    const isProcessEnv = isPropertyAccessExpression(node) && node.name.text === "env" && node.expression.getText(site.sourceFile).endsWith("process");
    if (!isVariableRead || !isProcessEnv || isCallee(parent)) return [];
    target = parent as ts.Expression;
  } else if (!source.stepSafe && !isNewDate) {
    return [];
  }
  const name = isNewDate && !isVariableDeclaration(node.parent) ? "now" : stepNameFor(target);
  const body = isNewDate ? "Date.now()" : target.getText(sourceFile);
  const step = `await ${context}.step(${JSON.stringify(name)}, async () => ${body})`;
  const wrap = isNewDate ? "new Date" : needsParentheses(target) ? "parentheses" : "";
  const replacement = wrap === "new Date" ? `new Date(${step})` : wrap === "parentheses" ? `(${step})` : step;
  // `wrap` lets the transformer's AST applier build the same expression without parsing this text.
  return [{ kind: "wrapInStep", data: { name, context, wrap }, edits: [replaceNode(target, replacement, sourceFile)] }];
}

function helperSuggestion(node: ts.Expression, source: HazardSource, context: string, site: SiteContext): Suggestion[] {
  if (site.runtime !== "replayable" || !source.helper) return [];
  if (!(isCallExpression(node) || isNewExpression(node)) || (node.arguments?.length ?? 0) > 0) return [];
  const call = `${context}.${source.helper}()`;
  const wrap = isNewExpression(node) ? "new Date" : "";
  const replacement = wrap ? `new Date(${call})` : call;
  return [{ kind: "useContextHelper", data: { replacement, context, helper: source.helper, wrap }, edits: [replaceNode(node, replacement, site.sourceFile)] }];
}

function loggerSuggestion(node: ts.Expression, context: string, sourceFile: ts.SourceFile): Suggestion[] {
  if (!isCallExpression(node)) return [];
  const callee = skipOuterExpressions(node.expression);
  if (!isPropertyAccessExpression(callee)) return [];
  const level = Object.hasOwn(LOGGER_LEVELS, callee.name.text) ? LOGGER_LEVELS[callee.name.text] : undefined;
  if (!level) return [];
  const replacement = `${context}.logger.${level}`;
  return [{ kind: "useContextLogger", data: { replacement }, edits: [replaceNode(callee, replacement, sourceFile)] }];
}

/**
 * `await new Promise((r) => setTimeout(r, 5000))` and `await setTimeout(5000)` (timers/promises)
 * become `await context.wait({ seconds: 5 })` when the delay is a whole number of seconds.
 */
function waitSuggestion(node: ts.Expression, context: string, site: SiteContext): Suggestion[] {
  if (!isCallExpression(node)) return [];
  const [first, second] = node.arguments;
  let replaced: ts.Node | undefined;
  let delay: ts.Expression | undefined;
  const promise = sleepPromiseAround(node);
  if (promise && first && isIdentifier(first) && promiseResolverName(promise) === first.text) {
    replaced = promise;
    delay = second;
  } else if (isAwaitExpression(node.parent) && first && !isFunctionLike(first) && node.arguments.length === 1) {
    replaced = node;
    delay = first;
  }
  if (!replaced || !delay || !isNumericLiteral(delay) || !site.isInAsyncFunction(replaced)) return [];
  const milliseconds = Number(delay.text);
  if (!Number.isInteger(milliseconds / 1000) || milliseconds <= 0) return [];
  const replacement = `${context}.wait({ seconds: ${milliseconds / 1000} })`;
  return [{ kind: "useContextWait", data: { replacement }, edits: [replaceNode(replaced, replacement, site.sourceFile)] }];
}

function sleepPromiseAround(call: ts.CallExpression): ts.NewExpression | undefined {
  const executor = call.parent;
  if (!isArrowFunction(executor) || executor.body !== call) return undefined;
  const promise = executor.parent;
  if (!isNewExpression(promise) || !isIdentifier(promise.expression) || promise.expression.text !== "Promise") return undefined;
  return isAwaitExpression(promise.parent) ? promise : undefined;
}

function promiseResolverName(promise: ts.NewExpression): string | undefined {
  const executor = promise.arguments?.[0];
  const parameter = executor && isArrowFunction(executor) ? executor.parameters[0] : undefined;
  return parameter && isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

/** `const startedAt = Date.now()` gives "startedAt"; otherwise the last member: "random", "API_URL". */
function stepNameFor(node: ts.Expression): string {
  let holder: ts.Node = node.parent;
  while (isParenthesizedExpression(holder) || isAwaitExpression(holder)) holder = holder.parent;
  if (isVariableDeclaration(holder) && isIdentifier(holder.name)) return holder.name.text;
  if (isPropertyAssignment(holder) && isIdentifier(holder.name)) return holder.name.text;
  let callee: ts.Expression = node;
  if (isCallExpression(callee) || isNewExpression(callee)) callee = callee.expression;
  callee = skipOuterExpressions(callee);
  if (isPropertyAccessExpression(callee)) return callee.name.text;
  if (isElementAccessExpression(callee) && isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  if (isIdentifier(callee)) return callee.text;
  return "value";
}

function needsParentheses(node: ts.Expression): boolean {
  const parent = node.parent;
  return !(
    isVariableDeclaration(parent) ||
    isExpressionStatement(parent) ||
    isReturnStatement(parent) ||
    isParenthesizedExpression(parent) ||
    isArrayLiteralExpression(parent) ||
    isPropertyAssignment(parent) ||
    isTemplateSpan(parent) ||
    (isArrowFunction(parent) && parent.body === node) ||
    ((isCallExpression(parent) || isNewExpression(parent)) && parent.expression !== node)
  );
}

function replaceNode(node: ts.Node, text: string, sourceFile: ts.SourceFile): TextEdit {
  return { start: node.getStart(sourceFile), end: node.getEnd(), text };
}

