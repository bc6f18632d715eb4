import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { structureFinding, type StructureCheck } from "../walk-result.js";
import { rootIdentifier, writtenTargets } from "./mutation-target.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild } = typescript;

/**
 * Step code writing a variable or object captured from outside the step: on replay the
 * step is skipped and the write never happens, so the orchestration code that reads it
 * takes another path.
 */
export const capturedMutationInStep: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  for (const step of walk.stepFunctions) {
    const visit = (node: ts.Node): void => {
      for (const target of writtenTargets(node, walk.scopes, walk.checker)) {
        const root = rootIdentifier(target);
        const declaration = root && walk.scopes.resolveIdentifier(root);
        if (!root || !declaration || isInside(declaration, step)) continue;
        findings.push(
          structureFinding(walk, {
            rule: "no-captured-mutation-in-step",
            node,
            source: target.getText(walk.sourceFile),
            fix: "return the value from the step and assign the step's result outside it",
          }),
        );
        break;
      }
      forEachChild(node, visit);
    };
    visit(step);
  }
  return findings;
};

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}
