import type ts from "typescript";
import typescript from "./typescript.js";
import { containsOffset } from "./sorted-offsets.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { NodeFlags, SyntaxKind, forEachChild, isBindingElement, isBlock, isCaseBlock, isCatchClause, isClassDeclaration, isClassExpression, isClassLike, isEnumDeclaration, isForInStatement, isForOfStatement, isForStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isModuleBlock, isModuleDeclaration, isNamespaceImport, isSourceFile, isVariableDeclarationList, isVariableStatement } = typescript;

/**
 * Lexical name resolution over a parse-only AST: finds the identifier that declares a
 * name visible at a given node. This is what tells a global `Math` from a parameter
 * named `Math`, without a type checker. Declaration tables are built lazily, once per
 * scope node, and cached.
 */
export class ScopeResolver {
  readonly #tables = new Map<ts.Node, Map<string, ts.Identifier>>();
  /** Every check asks about the same identifiers: resolve each once. */
  readonly #resolved = new Map<ts.Identifier, ts.Identifier | null>();

  /** The declaring identifier of `name` as seen from `from`, or undefined for a global. */
  resolve(name: string, from: ts.Node): ts.Identifier | undefined {
    for (let node: ts.Node | undefined = from; node; node = node.parent) {
      if (OPENS_SCOPE[node.kind] !== 1) continue;
      const declared = this.#table(node).get(name);
      if (declared) return declared;
    }
    return undefined;
  }

  /** Resolves an identifier in an expression position to its declaring identifier. */
  resolveIdentifier(identifier: ts.Identifier): ts.Identifier | undefined {
    const cached = this.#resolved.get(identifier);
    if (cached !== undefined) return cached ?? undefined;
    const declaration = this.resolve(identifier.text, identifier);
    this.#resolved.set(identifier, declaration ?? null);
    return declaration;
  }

  #table(scope: ts.Node): Map<string, ts.Identifier> {
    let table = this.#tables.get(scope);
    if (!table) {
      table = new Map();
      collectDeclarations(scope, table);
      this.#tables.set(scope, table);
    }
    return table;
  }
}

/** Nodes that open a scope: files, blocks, functions of every kind, loops with declarations, catch clauses. */
const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  SyntaxKind.SourceFile,
  SyntaxKind.ModuleBlock,
  SyntaxKind.Block,
  SyntaxKind.CaseBlock,
  SyntaxKind.ForStatement,
  SyntaxKind.ForInStatement,
  SyntaxKind.ForOfStatement,
  SyntaxKind.CatchClause,
  SyntaxKind.ClassExpression,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

/** SCOPE_KINDS as a table indexed by kind: the test runs for every ancestor of every name resolved. */
const OPENS_SCOPE = new Uint8Array(Math.max(...SCOPE_KINDS) + 1);
for (const kind of SCOPE_KINDS) OPENS_SCOPE[kind] = 1;

function collectDeclarations(scope: ts.Node, table: Map<string, ts.Identifier>): void {
  const add = (name: ts.BindingName | ts.Identifier | undefined) => addBindingNames(name, table);

  if (isFunctionLike(scope)) {
    if ((isFunctionExpression(scope) || isClassExpression(scope)) && scope.name) add(scope.name);
    for (const parameter of scope.parameters) add(parameter.name);
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (body && isBlock(body)) {
      collectHoistedVars(body, table);
      collectBlockScoped(body.statements, table);
    }
    return;
  }
  if (isClassExpression(scope)) {
    if (scope.name) add(scope.name);
    return;
  }
  if (isCatchClause(scope)) {
    if (scope.variableDeclaration) add(scope.variableDeclaration.name);
    return;
  }
  if (isForStatement(scope) || isForInStatement(scope) || isForOfStatement(scope)) {
    const initializer = scope.initializer;
    if (initializer && isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.declarations) add(declaration.name);
    }
    return;
  }
  if (isSourceFile(scope) || isModuleBlock(scope)) {
    collectHoistedVars(scope, table);
    collectBlockScoped(scope.statements, table);
    for (const statement of scope.statements) collectImports(statement, table);
    return;
  }
  if (isBlock(scope)) {
    // A function body's block is handled with its function (parameters shadow nothing there).
    if (scope.parent && isFunctionLike(scope.parent)) return;
    collectBlockScoped(scope.statements, table);
    return;
  }
  if (isCaseBlock(scope)) {
    for (const clause of scope.clauses) collectBlockScoped(clause.statements, table);
  }
}

/** let/const/class/function/enum declared directly in a statement list. */
function collectBlockScoped(statements: ts.NodeArray<ts.Statement>, table: Map<string, ts.Identifier>): void {
  for (const statement of statements) {
    if (isVariableStatement(statement)) {
      if (statement.declarationList.flags & NodeFlags.BlockScoped) {
        for (const declaration of statement.declarationList.declarations) addBindingNames(declaration.name, table);
      }
    } else if (
      (isFunctionDeclaration(statement) ||
        isClassDeclaration(statement) ||
        isEnumDeclaration(statement)) &&
      statement.name
    ) {
      addBindingNames(statement.name, table);
    } else if (isModuleDeclaration(statement) && isIdentifier(statement.name)) {
      addBindingNames(statement.name, table);
    }
  }
}

/** `var` declarations anywhere in a function body or file, not crossing nested functions. */
function collectHoistedVars(root: ts.Node, table: Map<string, ts.Identifier>): void {
  if (!mayDeclareVar(root)) return;
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) || isClassLike(node)) return;
    if (isVariableDeclarationList(node) && !(node.flags & NodeFlags.BlockScoped)) {
      for (const declaration of node.declarations) addBindingNames(declaration.name, table);
    }
    forEachChild(node, visit);
  };
  forEachChild(root, visit);
}

function collectImports(statement: ts.Statement, table: Map<string, ts.Identifier>): void {
  if (isImportEqualsDeclaration(statement)) {
    table.set(statement.name.text, statement.name);
    return;
  }
  if (!isImportDeclaration(statement) || !statement.importClause) return;
  const clause = statement.importClause;
  if (clause.name) table.set(clause.name.text, clause.name);
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (isNamespaceImport(bindings)) {
    table.set(bindings.name.text, bindings.name);
  } else {
    for (const element of bindings.elements) table.set(element.name.text, element.name);
  }
}

function addBindingNames(name: ts.BindingName | ts.Identifier | undefined, table: Map<string, ts.Identifier>): void {
  if (!name) return;
  if (isIdentifier(name)) {
    if (!table.has(name.text)) table.set(name.text, name);
    return;
  }
  for (const element of name.elements) {
    if (isBindingElement(element)) addBindingNames(element.name, table);
  }
}

/**
 * False when the text of a node cannot hold a `var` declaration: it does not contain "var",
 * nor a backslash (a keyword can be spelled with escapes). Saves walking every function body.
 */
function mayDeclareVar(node: ts.Node): boolean {
  const text = node.getSourceFile()?.text;
  if (text === undefined) return true;
  return containsOffset(varMarksOf(text), node.pos, node.end);
}

/** Offsets of "var" and of backslashes in the last text asked about (files are analysed one at a time). */
let markedText: string | undefined;
let marks: number[] = [];

function varMarksOf(text: string): readonly number[] {
  if (text !== markedText) {
    const found: number[] = [];
    for (let at = text.indexOf("var"); at >= 0; at = text.indexOf("var", at + 1)) found.push(at);
    for (let at = text.indexOf("\\"); at >= 0; at = text.indexOf("\\", at + 1)) found.push(at);
    marks = found.sort((a, b) => a - b);
    markedText = text;
  }
  return marks;
}

