import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { functionOfReference } from "../functions.js";
import { referencePathOf } from "../reference-path.js";
import { isAsyncFunction, skipOuterExpressions } from "../syntax.js";
import { structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";
import { contextNameAt } from "./context-name.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isArrayLiteralExpression, isBlock, isCallExpression, isFunctionLike, isIdentifier, isPropertyAccessExpression, isReturnStatement, isSpreadElement, isVariableDeclaration } = typescript;

const NATIVE_COMBINATORS = new Map([
  ["Promise.all", "all"],
  ["Promise.allSettled", "allSettled"],
  ["Promise.any", "any"],
  ["Promise.race", "race"],
]);

/**
 * Promise.all/allSettled/any/race over durable operations: the combination is not recorded,
 * so a replay can settle it differently (race, any) and the operations lose their grouping.
 */
export const nativePromiseCombinators: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  for (const { node: call, unit } of walk.calls) {
    const combinator = NATIVE_COMBINATORS.get(referencePathOf(call.expression, walk.resolution) ?? "");
    const list = call.arguments[0];
    const held = combinator && list ? operationsIn(list, walk) : "none";
    // Waits cannot fail and settle to undefined: any combination of them is the same on every replay.
    if (held === "none" || onlyWaits(list!, walk)) continue;
    const context = contextNameAt(call, walk);
    // context.promise.* takes durable promises: an async callback's plain promises do not fit.
    const rewritable = context !== undefined && held === "durable";
    const replacement = `${context}.promise.${combinator}`;
    const name = context ?? "context";
    findings.push(
      structureFinding(walk, {
        rule: "no-native-promise-combinator",
        node: call.expression,
        unit,
        source: `Promise.${combinator}()`,
        fix: `use ${name}.promise.${combinator}(...), ${name}.parallel(...) or ${name}.map(...), which record the combination`,
        suggestions: rewritable
          ? [{ kind: "useDurableCombinator", data: { replacement }, edits: [{ start: call.expression.getStart(walk.sourceFile), end: call.expression.getEnd(), text: replacement }] }]
          : [],
      }),
    );
  }
  return findings;
};

/**
 * What a combinator's list holds: "durable" when its elements are operations' own promises
 * (an array of operations, a `.map` returning them, a const or an array they were pushed
 * into), "wrapped" when they are promises of async callbacks that issue operations, else "none".
 */
type Held = "durable" | "wrapped" | "none";

function operationsIn(expression: ts.Expression, walk: WalkResult, depth = 0): Held {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return "none";
  if (isCallExpression(node) && walk.operations.has(node)) return "durable";
  if (isArrayLiteralExpression(node)) {
    return strongest(node.elements.map((element) => operationsIn(isSpreadElement(element) ? element.expression : element, walk, depth + 1)));
  }
  if (isIdentifier(node)) {
    const declaration = walk.scopes.resolveIdentifier(node)?.parent;
    if (!declaration || !isVariableDeclaration(declaration) || !declaration.initializer) return "none";
    return strongest([operationsIn(declaration.initializer, walk, depth + 1), pushedInto(declaration, walk, depth)]);
  }
  if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && ["map", "flatMap"].includes(node.expression.name.text)) {
    const callback = node.arguments[0] && functionOfReference(node.arguments[0], walk.scopes);
    if (!callback?.body) return "none";
    if (isAsyncFunction(callback)) return issuesOperations(callback, walk) ? "wrapped" : "none";
    return returnedOperations(callback.body, walk);
  }
  return "none";
}

/** `[ctx.wait(...), ctx.wait(...)]` */
function onlyWaits(list: ts.Expression, walk: WalkResult): boolean {
  const node = skipOuterExpressions(list);
  return (
    isArrayLiteralExpression(node) &&
    node.elements.every((element) => {
      const call = skipOuterExpressions(element);
      return isCallExpression(call) && walk.operations.get(call) === "wait";
    })
  );
}

function strongest(held: Held[]): Held {
  return held.includes("durable") ? "durable" : held.includes("wrapped") ? "wrapped" : "none";
}

/** `const list = []; list.push(ctx.step(...))`: operations pushed into an array later combined. */
function pushedInto(declaration: ts.VariableDeclaration, walk: WalkResult, depth: number): Held {
  if (!isIdentifier(declaration.name)) return "none";
  const name = declaration.name;
  const held: Held[] = [];
  for (const { node: call } of walk.calls) {
    const callee = skipOuterExpressions(call.expression);
    if (!isPropertyAccessExpression(callee) || callee.name.text !== "push") continue;
    const receiver = skipOuterExpressions(callee.expression);
    if (!isIdentifier(receiver) || walk.scopes.resolveIdentifier(receiver) !== name) continue;
    held.push(...call.arguments.map((argument) => operationsIn(argument, walk, depth + 1)));
  }
  return strongest(held);
}

function returnedOperations(body: ts.ConciseBody, walk: WalkResult): Held {
  if (!isBlock(body)) return operationsIn(body, walk, 1);
  const held: Held[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (isReturnStatement(node) && node.expression) held.push(operationsIn(node.expression, walk, 1));
    forEachChild(node, visit);
  };
  forEachChild(body, visit);
  return strongest(held);
}

/** An async callback that issues operations (awaited or not) inside its own body. */
function issuesOperations(callback: ts.Node, walk: WalkResult): boolean {
  for (const call of walk.operations.keys()) {
    if (call.pos >= callback.pos && call.end <= callback.end) return true;
  }
  return false;
}
