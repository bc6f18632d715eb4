import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { structureFinding, type StructureCheck } from "../walk-result.js";
import { rootIdentifier, writtenTargets } from "./mutation-target.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isFunctionLike, isIdentifier, isPostfixUnaryExpression, isPrefixUnaryExpression, isBinaryExpression, SyntaxKind } = typescript;

/** `attempts++`, `retryCount += 1`: a counter of attempts, which the step context already keeps. */
const ATTEMPT_COUNTER = /attempt|retr(?:y|ies)|tries/i;

/**
 * Step code writing a variable or object captured from outside the step: on replay the
 * step is skipped and the write never happens, so the orchestration code that reads it
 * takes another path.
 */
export const capturedMutationInStep: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  const check = (body: ts.Node, region: "step" | "child"): void => {
    const visit = (node: ts.Node): void => {
      for (const target of writtenTargets(node, walk.scopes, walk.checker)) {
        const root = rootIdentifier(target);
        const declaration = root && walk.scopes.resolveIdentifier(root);
        if (!root || !declaration || isInside(declaration, body)) continue;
        // A child writing module state is no-module-state's finding.
        if (region === "child" && !isInFunction(declaration)) continue;
        const counter = region === "step" && isIdentifier(target) && ATTEMPT_COUNTER.test(target.text) && isIncrement(node);
        findings.push(
          structureFinding(walk, {
            rule: "no-captured-mutation-in-step",
            node,
            source: target.getText(walk.sourceFile),
            problem:
              region === "step"
                ? "Step code writes"
                : "Child context code (a runInChildContext body, map item or parallel branch) writes",
            fix: counter
              ? "read the attempt from the step's context instead (`async (stepContext) => stepContext.attempt`)"
              : region === "step"
                ? "return the value from the step and assign the step's result outside it"
                : "return the value from the child and assign its result outside it",
          }),
        );
        break;
      }
      forEachChild(node, visit);
    };
    visit(body);
  };
  for (const step of walk.stepFunctions) check(step, "step");
  // A finished child is not run again on replay either: its writes are lost (replay-evidence.test.ts).
  for (const child of walk.childBodies) check(child, "child");
  return findings;
};

function isInFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current)) return true;
  return false;
}

function isIncrement(node: ts.Node): boolean {
  if (isPostfixUnaryExpression(node) || isPrefixUnaryExpression(node)) return node.operator === SyntaxKind.PlusPlusToken;
  return isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.PlusEqualsToken;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}
