import type ts from "typescript";
import type { EditPlan, PlannedEdit } from "./plan.js";

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
  const key = (start: number, end: number) => `${start}:${end}`;
  const names = new Map<string, Extract<PlannedEdit, { kind: "insert-name" | "replace-name" }>>();
  const rewrites = new Map<string, Extract<PlannedEdit, { kind: "rewrite" }>>();
  let importEdit: Extract<PlannedEdit, { kind: "import" }> | undefined;
  for (const edit of plan.edits) {
    if (edit.kind === "insert-name" || edit.kind === "replace-name") names.set(key(edit.callRange.start, edit.callRange.end), edit);
    else if (edit.kind === "rewrite") rewrites.set(key(edit.start, edit.end), edit);
    else if (edit.text) importEdit = edit;
  }
  const pending = new Set([...names.keys(), ...rewrites.keys()]);
  // A node can only be an edit's node when it ends where an edit does: only those are looked up.
  const ends = new Set<number>();
  for (const edit of names.values()) ends.add(edit.callRange.end);
  for (const edit of rewrites.values()) ends.add(edit.end);

  // Offsets where edits start, sorted: a subtree that contains none of them is returned as is, unvisited.
  const starts = [...names.keys(), ...rewrites.keys()].map((range) => Number(range.split(":")[0])).sort((a, b) => a - b);
  const containsEdit = (node: ts.Node): boolean => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! < node.pos) low = middle + 1;
      else high = middle;
    }
    return low < starts.length && starts[low]! < node.end;
  };

  const replacements = replacementsFor(tsi, factory, context, [...rewrites.values()]);

  const visit = (node: ts.Node): ts.Node => {
    if (node.pos < 0 || node.end < 0) return tsi.visitEachChild(node, visit, context);
    if (!containsEdit(node)) return node;
    if (!ends.has(node.end)) return tsi.visitEachChild(node, visit, context);
    const range = key(node.getStart(sourceFile), node.end);
    const rewrite = rewrites.get(range);
    if (rewrite && isExpressionNode(tsi, node) && pending.has(range)) {
      pending.delete(range);
      return replacements.take(rewrite, node);
    }
    const visited = tsi.visitEachChild(node, visit, context);
    const name = names.get(range);
    if (name && tsi.isCallExpression(visited) && pending.has(range)) {
      pending.delete(range);
      const literal = factory.createStringLiteral(name.id);
      const args = name.kind === "insert-name" ? [literal, ...visited.arguments] : [literal, ...visited.arguments.slice(1)];
      return factory.updateCallExpression(visited, visited.expression, visited.typeArguments, args);
    }
    return visited;
  };

  let result = tsi.visitEachChild(sourceFile, visit, context);
  if (pending.size > 0) {
    throw new Error(`replayable/transformer: ${pending.size} planned edit(s) in ${sourceFile.fileName} found no node in the compiler's AST (${[...pending].join(", ")})`);
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

function isExpressionNode(tsi: typeof ts, node: ts.Node): boolean {
  return tsi.isCallExpression(node) || tsi.isNewExpression(node) || tsi.isPropertyAccessExpression(node) || tsi.isElementAccessExpression(node) || tsi.isIdentifier(node);
}

/**
 * The replacement expressions of one file, parsed together in one snippet on first use (a parse
 * per replacement cost more than the rest of the plugin) and rebuilt as synthesized nodes: every
 * node gets an empty text range, so nothing maps into the snippet, and the whole replacement maps
 * to the original expression it replaces. The snippet has parent pointers: the compiler finds a
 * parsed node's emit data through its source file.
 */
function replacementsFor(tsi: typeof ts, factory: ts.NodeFactory, context: ts.TransformationContext, rewrites: readonly Extract<PlannedEdit, { kind: "rewrite" }>[]) {
  let parsed: Map<Extract<PlannedEdit, { kind: "rewrite" }>, ts.Expression> | undefined;
  const parse = () => {
    const elements = rewrites.map((rewrite) => `(${rewrite.text})`).join(",\n");
    const snippet = tsi.createSourceFile("replacements.ts", `async function __replacements() { return [\n${elements}]; }`, tsi.ScriptTarget.Latest, true, tsi.ScriptKind.TS);
    const fn = snippet.statements[0] as ts.FunctionDeclaration;
    const array = (fn.body!.statements[0] as ts.ReturnStatement).expression as ts.ArrayLiteralExpression;
    if (array.elements.length !== rewrites.length || (snippet as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length) {
      throw new Error(`replayable/transformer: a planned replacement does not parse as one expression: ${rewrites.map((rewrite) => rewrite.text).join(" | ")}`);
    }
    return new Map(rewrites.map((rewrite, index) => [rewrite, (array.elements[index] as ts.ParenthesizedExpression).expression]));
  };
  // Tokens held in their own fields (an arrow's `=>`, a `?` or `...`) are visited only through a
  // token visitor; without a fresh one they would keep their offsets in the snippet and map there.
  const synthesizeToken = (node: ts.Node): ts.Node => factory.createToken(node.kind as ts.PunctuationSyntaxKind);
  const synthesize = (node: ts.Node): ts.Node => {
    if (tsi.isIdentifier(node)) return factory.createIdentifier(node.text);
    if (tsi.isStringLiteral(node)) return factory.createStringLiteral(node.text);
    if (tsi.isNumericLiteral(node)) return factory.createNumericLiteral(node.text);
    if (tsi.isNoSubstitutionTemplateLiteral(node)) return factory.createNoSubstitutionTemplateLiteral(node.text);
    const rebuilt = tsi.visitEachChild(node, synthesize, context, tsi.visitNodes, synthesizeToken)!;
    tsi.setTextRange(rebuilt, { pos: -1, end: -1 });
    if (rebuilt !== node) tsi.setOriginalNode(rebuilt, undefined);
    tsi.setEmitFlags(rebuilt, tsi.EmitFlags.NoComments);
    return rebuilt;
  };
  return {
    take(rewrite: Extract<PlannedEdit, { kind: "rewrite" }>, original: ts.Node): ts.Expression {
      parsed ??= parse();
      const expression = synthesize(parsed.get(rewrite)!) as ts.Expression;
      tsi.setSourceMapRange(expression, { pos: original.getStart(original.getSourceFile()), end: original.end });
      tsi.setCommentRange(expression, original);
      tsi.setEmitFlags(expression, tsi.EmitFlags.None);
      return expression;
    },
  };
}
