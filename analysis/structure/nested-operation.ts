import type ts from "typescript";
import typescript from "../typescript.js";
import { DURABLE_OPERATIONS } from "../durable-api.js";
import type { CallLink, Finding } from "../finding.js";
import { functionOfReference, type FunctionNode } from "../functions.js";
import { functionName } from "../handlers.js";
import { CONTEXT_ROOT, durableOperationOf, referencePathOf } from "../reference-path.js";
import { skipOuterExpressions } from "../syntax.js";
import { operationLabel, structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isCallExpression, isIdentifier } = typescript;

interface StepCodeUnit {
  readonly node: ts.Node;
  readonly chain: readonly CallLink[];
}

/**
 * A durable operation inside step code (a step function, a waitForCondition check, a
 * waitForCallback submitter), directly or through same-file helpers: steps cannot contain
 * operations, and the step's retry would issue them again.
 */
export const nestedOperations: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  const queue: StepCodeUnit[] = [...walk.stepFunctions].map((node) => ({ node, chain: [] }));
  const visited = new Set<ts.Node>();
  const reported = new Set<ts.Node>();
  for (let unit = queue.shift(); unit; unit = queue.shift()) {
    if (visited.has(unit.node)) continue;
    visited.add(unit.node);
    const visit = (node: ts.Node): void => {
      if (isCallExpression(node)) {
        const operation = durableOperationOf(node, walk.resolution, DURABLE_OPERATIONS);
        if (operation && !reported.has(node)) {
          reported.add(node);
          findings.push(
            structureFinding(walk, {
              rule: "no-nested-durable-operation",
              node,
              source: operationLabel(node, walk.sourceFile),
              chain: unit.chain,
              fix: "move it out of the step into orchestration code, or use context.runInChildContext(...) to group operations",
            }),
          );
        }
        const helper = functionOfReference(node.expression, walk.scopes);
        if (helper && isIdentifier(skipOuterExpressions(node.expression))) {
          markContextArguments(node, helper, walk);
          queue.push({ node: helper, chain: [link(helper, node, unit, walk), ...unit.chain] });
        }
      }
      forEachChild(node, visit);
    };
    const body = (unit.node as FunctionNode).body;
    if (body) visit(body);
  }
  return findings;
};


/** A helper's parameter that receives a durable context holds one inside the helper too. */
function markContextArguments(call: ts.CallExpression, helper: FunctionNode, walk: WalkResult): void {
  call.arguments.forEach((argument, index) => {
    const parameter = helper.parameters[index];
    if (parameter && referencePathOf(argument, walk.resolution) === CONTEXT_ROOT) walk.contextParameters.add(parameter);
  });
}

function link(helper: FunctionNode, call: ts.CallExpression, unit: StepCodeUnit, walk: WalkResult): CallLink {
  const line = walk.sourceFile.getLineAndCharacterOfPosition(call.getStart(walk.sourceFile)).line + 1;
  const caller = unit.chain.length === 0 ? "step code" : `${unit.chain[0]!.callee}()`;
  return { callee: functionName(helper) ?? "anonymous function", caller, file: walk.sourceFile.fileName, line };
}

