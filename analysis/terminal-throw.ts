import type ts from "typescript";
import typescript from "./typescript.js";
import type { OrchestrationFunction } from "./analyze-file.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { isBlock, isCaseClause, isDefaultClause, isExpressionStatement, isFunctionLike, isThrowStatement, isTryStatement } = typescript;

/**
 * `console.error("giving up"); throw error;` in the handler's own body, where nothing catches the
 * throw: the execution ends there, so the log is written once, by the invocation that fails, and
 * no replay repeats it (test/eslint-plugin/replay-evidence.test.ts shows it on both runtimes).
 */
export function logsBeforeTerminalThrow(call: ts.Node, unit: OrchestrationFunction): boolean {
  if (unit.chain.length > 0 || unit.node !== unit.handler.node) return false;
  const statement = call.parent;
  if (!statement || !isExpressionStatement(statement) || statement.expression !== call) return false;
  const list = statement.parent;
  const statements = isBlock(list) || isCaseClause(list) || isDefaultClause(list) ? list.statements : undefined;
  const next = statements?.[statements.indexOf(statement) + 1];
  return next !== undefined && isThrowStatement(next) && endsTheHandler(next, unit.node);
}

/** No `try` around the throw and no function between it and the handler. */
function endsTheHandler(throwStatement: ts.ThrowStatement, handler: ts.Node): boolean {
  let child: ts.Node = throwStatement;
  for (let node = throwStatement.parent; node; child = node, node = node.parent) {
    if (node === handler) return true;
    if (isFunctionLike(node)) return false;
    if (isTryStatement(node) && node.tryBlock === child) return false;
  }
  return false;
}
