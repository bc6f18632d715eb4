import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { findSource, type SiteKind } from "../hazard-catalog.js";
import { referencePathOf } from "../reference-path.js";
import { nameArgumentOf } from "../step-ids.js";
import { skipOuterExpressions } from "../syntax.js";
import { operationLabel, structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isBlock, isBreakStatement, isCallExpression, isCaseClause, isConditionalExpression, isDefaultClause, isFunctionLike, isIdentifier, isIfStatement, isNewExpression, isPropertyAccessExpression, isReturnStatement, isThrowStatement, isVariableDeclaration } = typescript;

/**
 * Operation names are identity: a name built from a clock, randomness or the environment
 * differs on replay, so the recorded result is never found; the same literal name twice in
 * one context makes two operations share an identity.
 */
export const deterministicStepNames: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  const firstUse = new Map<string, ts.CallExpression>();
  for (const [call, operation] of walk.operations) {
    const unit = walk.operationUnits.get(call);
    const name = nameArgumentOf(call, operation, walk.scopes);
    if (name.kind === "missing" || name.kind === "undefined") continue;
    const source = nondeterministicPart(name.node, walk);
    if (source) {
      findings.push(
        structureFinding(walk, {
          rule: "deterministic-step-names",
          node: name.node,
          unit,
          source: operationLabel(call, walk.sourceFile),
          problem: `is named from ${source.getText(walk.sourceFile)}, which differs on replay, so the recorded result is never found`,
          fix: "build names only from the input, loop indexes and step results",
        }),
      );
      continue;
    }
    if (name.kind !== "literal" || name.text === undefined) continue;
    const key = `${contextKey(call, walk)}\u0000${name.text}`;
    const first = firstUse.get(key);
    if (!first || mutuallyExclusive(first, call)) {
      if (!first) firstUse.set(key, call);
      continue;
    }
    const line = walk.sourceFile.getLineAndCharacterOfPosition(first.getStart(walk.sourceFile)).line + 1;
    findings.push(
      structureFinding(walk, {
        rule: "deterministic-step-names",
        node: name.node,
        unit,
        source: operationLabel(call, walk.sourceFile),
        problem: `reuses the name ${name.node.getText(walk.sourceFile)} of the operation at line ${line} in the same context, so the two share an identity`,
        fix: "give each operation its own name",
      }),
    );
  }
  return findings;
};

/** The context an operation is issued on: its declaring parameter, or the callee's text. */
function contextKey(call: ts.CallExpression, walk: WalkResult): string {
  let callee = skipOuterExpressions(call.expression);
  while (isPropertyAccessExpression(callee) && isPropertyAccessExpression(skipOuterExpressions(callee.expression))) {
    callee = skipOuterExpressions(callee.expression);
  }
  const receiver = isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : callee;
  const declaration = isIdentifier(receiver) ? walk.scopes.resolveIdentifier(receiver) : undefined;
  return declaration ? `${declaration.pos}` : receiver.getText(walk.sourceFile);
}

/** The first clock, random, environment or invocation read in a name, following one const. */
function nondeterministicPart(name: ts.Expression, walk: WalkResult, depth = 0): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    if (isSource(node, walk)) {
      found = node;
      return;
    }
    if (isIdentifier(node) && depth < 2) {
      const declaration = walk.scopes.resolveIdentifier(node)?.parent;
      // `const runId = randomUUID()`, in the handler or at module level (per container): still not stable.
      if (declaration && isVariableDeclaration(declaration) && declaration.initializer &&
        nondeterministicPart(declaration.initializer, walk, depth + 1)) {
        found = node;
        return;
      }
    }
    forEachChild(node, visit);
  };
  visit(name);
  return found;
}

function isSource(node: ts.Node, walk: WalkResult): boolean {
  let kind: SiteKind;
  let target: ts.Expression;
  if (isCallExpression(node)) [kind, target] = ["call", node.expression];
  else if (isNewExpression(node)) [kind, target] = ["new", node.expression];
  else if (isPropertyAccessExpression(node)) [kind, target] = ["read", node];
  else return false;
  const path = referencePathOf(target, walk.resolution);
  const source = path === undefined ? undefined : findSource(kind, path, (node as ts.CallExpression).arguments?.length ?? 0);
  return source !== undefined && ["random", "clock", "env", "invocation"].includes(source.category);
}

/**
 * Two sites that cannot both run in one execution: the two branches of an if/else,
 * conditional or switch, or a first site in a branch that always returns or throws.
 */
function mutuallyExclusive(first: ts.Node, second: ts.Node): boolean {
  for (let node: ts.Node = first; node.parent; node = node.parent) {
    const parent = node.parent;
    if (contains(node, second)) return false;
    if (isIfStatement(parent) && node !== parent.expression) {
      const other = node === parent.thenStatement ? parent.elseStatement : parent.thenStatement;
      if (other && contains(other, second)) return true;
      if (node === parent.thenStatement && alwaysExits(parent.thenStatement)) return true;
    }
    if (isConditionalExpression(parent) && node !== parent.condition) {
      const other = node === parent.whenTrue ? parent.whenFalse : parent.whenTrue;
      if (contains(other, second)) return true;
    }
    if (isCaseClause(parent) || isDefaultClause(parent)) {
      const block = parent.parent;
      if (block.clauses.some((clause) => clause !== parent && contains(clause, second)) && alwaysExits(parent)) return true;
    }
  }
  return false;
}

function contains(container: ts.Node, node: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** The branch ends in return, throw or break on every path we can see syntactically. */
function alwaysExits(statement: ts.Node): boolean {
  if (isReturnStatement(statement) || isThrowStatement(statement) || isBreakStatement(statement)) return true;
  if (isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && alwaysExits(last);
  }
  if (isCaseClause(statement) || isDefaultClause(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return last !== undefined && alwaysExits(last);
  }
  if (isIfStatement(statement)) {
    return statement.elseStatement !== undefined && alwaysExits(statement.thenStatement) && alwaysExits(statement.elseStatement);
  }
  return false;
}
