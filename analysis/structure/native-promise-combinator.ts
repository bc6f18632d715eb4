import ts from "typescript";
import type { Finding } from "../finding.js";
import { functionOfReference } from "../functions.js";
import { referencePathOf } from "../reference-path.js";
import { skipOuterExpressions } from "../syntax.js";
import { structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";
import { contextNameAt } from "./context-name.js";

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
    if (!combinator || !list || !holdsOperations(list, walk)) continue;
    const context = contextNameAt(call, walk);
    const replacement = `${context}.promise.${combinator}`;
    findings.push(
      structureFinding(walk, {
        rule: "no-native-promise-combinator",
        node: call.expression,
        unit,
        source: `Promise.${combinator}()`,
        fix: `use ${context ?? "context"}.promise.${combinator}(...), context.parallel(...) or context.map(...), which record the combination`,
        suggestions: context
          ? [{ kind: "useDurableCombinator", data: { replacement }, edits: [{ start: call.expression.getStart(walk.sourceFile), end: call.expression.getEnd(), text: replacement }] }]
          : [],
      }),
    );
  }
  return findings;
};

/** An array of operations, a `.map` whose callback returns one, or a const holding either. */
function holdsOperations(expression: ts.Expression, walk: WalkResult, depth = 0): boolean {
  const node = skipOuterExpressions(expression);
  if (depth > 4) return false;
  if (isOperation(node, walk)) return true;
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.some((element) => holdsOperations(ts.isSpreadElement(element) ? element.expression : element, walk, depth + 1));
  }
  if (ts.isIdentifier(node)) {
    const declaration = walk.scopes.resolveIdentifier(node)?.parent;
    return !!declaration && ts.isVariableDeclaration(declaration) && !!declaration.initializer && holdsOperations(declaration.initializer, walk, depth + 1);
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ["map", "flatMap"].includes(node.expression.name.text)) {
    const callback = node.arguments[0] && functionOfReference(node.arguments[0], walk.scopes);
    return !!callback?.body && returnsOperation(callback.body, walk);
  }
  return false;
}

function returnsOperation(body: ts.ConciseBody, walk: WalkResult): boolean {
  if (!ts.isBlock(body)) return holdsOperations(body, walk, 1);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression && holdsOperations(node.expression, walk, 1)) found = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function isOperation(node: ts.Expression, walk: WalkResult): boolean {
  const inner = ts.isAwaitExpression(node) ? node.expression : node;
  return ts.isCallExpression(inner) && walk.operations.has(inner);
}
