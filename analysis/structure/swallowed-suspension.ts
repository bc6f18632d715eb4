import ts from "typescript";
import type { Finding } from "../finding.js";
import { functionOfReference } from "../functions.js";
import { structureFinding, type StructureCheck, type WalkResult } from "../walk-result.js";

/**
 * A catch around durable operations that does not rethrow: it swallows the operations'
 * failures, and on runtimes that suspend by throwing, the suspension itself, so the
 * handler carries on as if a wait had finished.
 */
export const swallowedSuspension: StructureCheck = (walk) => {
  const findings: Finding[] = [];
  for (const { node: statement, unit } of walk.tries) {
    const clause = statement.catchClause;
    if (!clause || !containsOperation(statement.tryBlock, walk) || rethrows(clause.block)) continue;
    findings.push(
      structureFinding(walk, {
        rule: "no-swallowed-suspension",
        node: clause,
        unit,
        source: "catch",
        problem: "around durable operations does not rethrow",
        fix: "rethrow what you do not handle (`if (!(error instanceof StepError)) throw error`), or let the operation's retry strategy handle failures",
      }),
    );
  }
  for (const [call, unit] of walk.operationUnits) {
    const handler = catchHandlerOf(call);
    if (!handler) continue;
    const fn = functionOfReference(handler.argument, walk.scopes);
    if (!fn?.body || rethrows(fn.body)) continue;
    findings.push(
      structureFinding(walk, {
        rule: "no-swallowed-suspension",
        node: handler.name,
        unit,
        source: ".catch()",
        problem: "on a durable operation does not rethrow",
        fix: "rethrow what you do not handle, or let the operation's retry strategy handle failures",
      }),
    );
  }
  return findings;
};

function containsOperation(block: ts.Block, walk: WalkResult): boolean {
  for (const call of walk.operations.keys()) {
    if (call.pos >= block.pos && call.end <= block.end) return true;
  }
  return false;
}

/** A `throw` in the handler's own code (not in a nested function). */
function rethrows(body: ts.Node): boolean {
  if (!ts.isBlock(body)) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `ctx.step(...).catch(handler)`, also after `.then(...)`. */
function catchHandlerOf(call: ts.CallExpression): { name: ts.MemberName; argument: ts.Expression } | undefined {
  let node: ts.Expression = call;
  for (;;) {
    const access = node.parent;
    if (!ts.isPropertyAccessExpression(access) || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return undefined;
    const argument = access.parent.arguments[0];
    if (access.name.text === "catch" && argument) return { name: access.name, argument };
    if (access.name.text !== "then") return undefined;
    node = access.parent;
  }
}
