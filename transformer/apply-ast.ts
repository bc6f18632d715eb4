import type ts from "typescript";
import { containsOffset } from "../analysis/sorted-offsets.js";
import type { EditPlan, PlannedEdit, Replacement } from "./plan.js";

/**
 * Applies an edit plan to a compiler's own AST, inside a tsc transformation. The plan was made
 * from the file's text; edits find their nodes by offsets, so the compiler may be another
 * TypeScript version than the one the plan was made with. Replaced nodes keep the original's
 * source-map and comment ranges (setSourceMapRange/setCommentRange), so the emitted map points
 * into the original source.
 */
export function applyPlanToAst(tsi: typeof ts, sourceFile: ts.SourceFile, plan: EditPlan, context: ts.TransformationContext): ts.SourceFile {
  if (plan.edits.length === 0) return sourceFile;
  const { factory } = context;
  // Edits by the offset where their node ends: only a node that ends there can be an edit's node.
  // At most one rewrite and one name end at an offset: edits never overlap, and no two calls end
  // at the same parenthesis.
  const byEnd = new Map<number, EditsEndingAt>();
  const starts: number[] = [];
  let importEdit: Extract<PlannedEdit, { kind: "import" }> | undefined;
  for (const edit of plan.edits) {
    if (edit.kind === "import") {
      if (edit.text) importEdit = edit;
      continue;
    }
    const range = edit.kind === "rewrite" ? edit : edit.callRange;
    const at = byEnd.get(range.end) ?? {};
    if (edit.kind === "rewrite") at.rewrite = edit;
    else at.name = edit;
    byEnd.set(range.end, at);
    starts.push(range.start);
  }
  let pending = starts.length;

  // Offsets where edits start, sorted: a subtree that contains none of them is returned as is, unvisited.
  starts.sort((a, b) => a - b);
  const descend = (node: ts.Node): ts.Node => unchained(tsi, factory, tsi.visitEachChild(node, visit, context));
  const visit = (node: ts.Node): ts.Node => {
    if (node.pos < 0 || node.end < 0) return descend(node);
    if (!containsOffset(starts, node.pos, node.end)) return node;
    const at = byEnd.get(node.end);
    if (at === undefined) return descend(node);
    const rewrite = at.rewrite;
    if (rewrite && isExpressionNode(tsi, node) && node.getStart(sourceFile) === rewrite.start) {
      at.rewrite = undefined;
      pending--;
      return replacementFor(tsi, factory, rewrite.replacement, node as ts.Expression);
    }
    const visited = descend(node);
    const name = at.name;
    if (name && tsi.isCallExpression(visited) && node.getStart(sourceFile) === name.callRange.start) {
      at.name = undefined;
      pending--;
      const literal = factory.createStringLiteral(name.id);
      const args = name.kind === "insert-name" ? [literal, ...visited.arguments] : [literal, ...visited.arguments.slice(1)];
      return factory.updateCallExpression(visited, visited.expression, visited.typeArguments, args);
    }
    return visited;
  };

  let result = tsi.visitEachChild(sourceFile, visit, context);
  if (pending > 0) {
    const missed = [...byEnd.values()].flatMap((at) => [at.rewrite, at.name?.callRange]).filter((range) => range !== undefined);
    throw new Error(`replayable/transformer: ${pending} planned edit(s) in ${sourceFile.fileName} found no node in the compiler's AST (${missed.map((range) => `${range.start}:${range.end}`).join(", ")})`);
  }
  if (importEdit) {
    const statements = [...result.statements];
    let index = 0;
    for (let i = 0; i < statements.length; i++) if (tsi.isImportDeclaration(statements[i]!)) index = i + 1;
    const declaration = factory.createImportDeclaration(
      undefined,
      factory.createImportClause(false, undefined, factory.createNamespaceImport(factory.createIdentifier(importEdit.namespace))),
      factory.createStringLiteral("replayable"),
    );
    statements.splice(index, 0, declaration);
    result = factory.updateSourceFile(result, statements);
  }
  return result;
}

/** The edits whose node ends at one offset, each until it is applied. */
interface EditsEndingAt {
  name?: Extract<PlannedEdit, { kind: "insert-name" | "replace-name" }>;
  rewrite?: Extract<PlannedEdit, { kind: "rewrite" }>;
}

/**
 * The replaced expression as a step's body. Its comments stay with the whole replacement
 * (setCommentRange in replacementFor), so the body emits none of its own; and its range starts
 * at the expression, not at the comments before it, because tsc gives that range to the
 * `return` it wraps the body in when it lowers async functions (targets below ES2017).
 */
function stepBody(tsi: typeof ts, factory: ts.NodeFactory, original: ts.Expression): ts.Expression {
  // Keeps flags an earlier transformer set (getEmitFlags is not public; emitNode.flags is what it reads).
  const flags = (original as { emitNode?: { flags?: number } }).emitNode?.flags ?? 0;
  tsi.setEmitFlags(original, flags | tsi.EmitFlags.NoComments);
  const body = tsi.setEmitFlags(factory.createPartiallyEmittedExpression(original), tsi.EmitFlags.NoComments);
  return tsi.setTextRange(body, { pos: original.getStart(original.getSourceFile()), end: original.end });
}

/**
 * The rest of an optional chain whose head a rewrite replaced (`.toFixed(2)` after
 * `Math?.random()`) is no longer part of a chain, as in the text host's
 * `(await ctx.step(...)).toFixed(2)`: rebuilt as a plain access or call, or tsc's lowering of
 * optional chains (targets below ES2020) fails on it.
 */
function unchained(tsi: typeof ts, factory: ts.NodeFactory, node: ts.Node): ts.Node {
  if (!tsi.isOptionalChain(node) || hasQuestionDot(node) || tsi.isOptionalChain(node.expression)) return node;
  let plain: ts.Expression;
  if (tsi.isPropertyAccessExpression(node)) plain = factory.createPropertyAccessExpression(node.expression, node.name);
  else if (tsi.isElementAccessExpression(node)) plain = factory.createElementAccessExpression(node.expression, node.argumentExpression);
  else if (tsi.isCallExpression(node)) plain = factory.createCallExpression(node.expression, node.typeArguments, node.arguments);
  else plain = factory.createNonNullExpression(node.expression);
  tsi.setOriginalNode(plain, node);
  return tsi.setTextRange(plain, node);
}

function hasQuestionDot(node: ts.OptionalChain): boolean {
  return "questionDotToken" in node && node.questionDotToken !== undefined;
}

function isExpressionNode(tsi: typeof ts, node: ts.Node): boolean {
  return tsi.isCallExpression(node) || tsi.isNewExpression(node) || tsi.isPropertyAccessExpression(node) || tsi.isElementAccessExpression(node) || tsi.isIdentifier(node);
}

/**
 * Builds a rewrite's expression from its parts (the same expression as its text, which is never
 * parsed here). Only the whole replacement maps to the expression it replaces; a step's body is
 * the replaced expression itself, so its tokens keep their own places in the source map.
 */
function replacementFor(tsi: typeof ts, factory: ts.NodeFactory, replacement: Replacement, original: ts.Expression): ts.Expression {
  const name = (text: string) => factory.createIdentifier(text);
  const call = (callee: ts.Expression, args: ts.Expression[]) => factory.createCallExpression(callee, undefined, args);
  const member = (object: ts.Expression, property: string) => factory.createPropertyAccessExpression(object, property);
  let expression: ts.Expression;
  if (replacement.kind === "helper") {
    const receiver = replacement.namespace === undefined ? name(replacement.context) : call(member(name(replacement.namespace), "deterministic"), [name(replacement.context)]);
    expression = call(member(receiver, replacement.helper), []);
  } else {
    const body = replacement.wrap === "new Date" ? call(member(name("Date"), "now"), []) : stepBody(tsi, factory, original);
    const step = factory.createArrowFunction([factory.createModifier(tsi.SyntaxKind.AsyncKeyword)], undefined, [], undefined, factory.createToken(tsi.SyntaxKind.EqualsGreaterThanToken), body);
    expression = factory.createAwaitExpression(call(member(name(replacement.context), "step"), [factory.createStringLiteral(replacement.id), step]));
    if (replacement.wrap === "parentheses") expression = factory.createParenthesizedExpression(expression);
  }
  if (replacement.wrap === "new Date") expression = factory.createNewExpression(name("Date"), undefined, [expression]);
  tsi.setSourceMapRange(expression, { pos: original.getStart(original.getSourceFile()), end: original.end });
  tsi.setCommentRange(expression, original);
  return expression;
}
