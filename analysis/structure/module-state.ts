import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { structureFinding, type OrchestrationSite, type StructureCheck, type WalkResult } from "../walk-result.js";
import { moduleValueSource } from "./module-value-source.js";
import { rootIdentifier, writtenTargets } from "./mutation-target.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { NodeFlags, forEachChild, isArrayBindingPattern, isArrowFunction, isBindingElement, isFunctionExpression, isIdentifier, isObjectBindingPattern, isSourceFile, isVariableDeclaration, isVariableDeclarationList, isVariableStatement } = typescript;

/**
 * Module-level `let`/`var` read or written, or module-level objects mutated, in
 * orchestration code: module state lives as long as the container, so a replay in a fresh
 * container (or after another execution changed it) sees a different value. A module-level
 * `const` computed from a random, clock or per-container source is such state too.
 */
export const moduleState: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  const covered = new Set<ts.Identifier>();
  // Mutating calls (push, set, Object.assign) are calls; the rest are writes.
  for (const { node, unit } of [...walk.writes, ...walk.calls]) {
    const written = writtenTargets(node, walk.scopes, walk.checker).filter((target) => {
      const root = rootIdentifier(target);
      const declaration = root && walk.scopes.resolveIdentifier(root);
      return declaration !== undefined && moduleBinding(declaration) !== undefined;
    });
    if (written.length === 0) continue;
    // `counter = counter + 1` and `({ a, b } = event)` are one site: one report.
    coverIdentifiers(node, walk, covered);
    findings.push(
      structureFinding(walk, {
        rule: "no-module-state",
        node,
        unit,
        source: written.map((target) => target.getText(walk.sourceFile)).join(", "),
        problem: "changes module-level state",
        fix: "keep execution state in local variables and step results, not in module scope",
      }),
    );
  }
  for (const { node: identifier, unit } of walk.identifiers) {
    if (covered.has(identifier)) continue;
    const declaration = walk.scopes.resolveIdentifier(identifier);
    const binding = declaration && moduleBinding(declaration);
    if (binding === "object") {
      const source = moduleValueSource(declaration!, walk.resolution);
      if (source) findings.push(moduleValueRead(walk, identifier, unit, source, declaration!));
      continue;
    }
    if (binding !== "variable") continue;
    findings.push(
      structureFinding(walk, {
        rule: "no-module-state",
        node: identifier,
        unit,
        source: identifier.text,
        problem: "reads a module-level variable",
        fix: "pass the value in the input or compute it in a step; module variables differ between containers and executions",
      }),
    );
  }
  return findings;
};

/** `if (canary)` where `const canary = Math.random() < 0.1` at module scope. */
function moduleValueRead(walk: WalkResult, identifier: ts.Identifier, unit: OrchestrationSite<ts.Node>["unit"], source: string, declaration: ts.Identifier): Finding {
  const line = walk.sourceFile.getLineAndCharacterOfPosition(declaration.getStart(walk.sourceFile)).line + 1;
  return structureFinding(walk, {
    rule: "no-module-state",
    node: identifier,
    unit,
    source: identifier.text,
    problem: `reads a module-level value computed once per container from ${source} (line ${line})`,
    fix: `compute it inside the handler with context.step(...) so the value is recorded, e.g. const ${identifier.text} = await context.step("${identifier.text}", async () => ...)`,
  });
}

/** "variable" for module-level let/var, "object" for module-level const values; imports, functions and classes are neither. */
function moduleBinding(declaration: ts.Identifier): "variable" | "object" | undefined {
  const holder = declaration.parent;
  if (!isVariableDeclaration(holder) && !isBindingElement(holder)) return undefined;
  let list: ts.Node = holder;
  while (isBindingElement(list) || isObjectBindingPattern(list) || isArrayBindingPattern(list) || isVariableDeclaration(list)) {
    list = list.parent;
  }
  if (!isVariableDeclarationList(list)) return undefined;
  const statement = list.parent;
  if (!isVariableStatement(statement) || !isSourceFile(statement.parent)) return undefined;
  if (!(list.flags & NodeFlags.Const)) return "variable";
  const initializer = isVariableDeclaration(holder) ? holder.initializer : undefined;
  if (initializer && (isArrowFunction(initializer) || isFunctionExpression(initializer))) return undefined;
  return "object";
}


function coverIdentifiers(node: ts.Node, walk: WalkResult, covered: Set<ts.Identifier>): void {
  const visit = (child: ts.Node): void => {
    if (isIdentifier(child)) covered.add(child);
    forEachChild(child, visit);
  };
  visit(node);
}
