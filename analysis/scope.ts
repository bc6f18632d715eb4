import ts from "typescript";

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
      if (!SCOPE_KINDS.has(node.kind)) continue;
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
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

function collectDeclarations(scope: ts.Node, table: Map<string, ts.Identifier>): void {
  const add = (name: ts.BindingName | ts.Identifier | undefined) => addBindingNames(name, table);

  if (ts.isFunctionLike(scope)) {
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) add(scope.name);
    for (const parameter of scope.parameters) add(parameter.name);
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (body && ts.isBlock(body)) {
      collectHoistedVars(body, table);
      collectBlockScoped(body.statements, table);
    }
    return;
  }
  if (ts.isClassExpression(scope)) {
    if (scope.name) add(scope.name);
    return;
  }
  if (ts.isCatchClause(scope)) {
    if (scope.variableDeclaration) add(scope.variableDeclaration.name);
    return;
  }
  if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
    const initializer = scope.initializer;
    if (initializer && ts.isVariableDeclarationList(initializer)) {
      for (const declaration of initializer.declarations) add(declaration.name);
    }
    return;
  }
  if (ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
    collectHoistedVars(scope, table);
    collectBlockScoped(scope.statements, table);
    for (const statement of scope.statements) collectImports(statement, table);
    return;
  }
  if (ts.isBlock(scope)) {
    // A function body's block is handled with its function (parameters shadow nothing there).
    if (scope.parent && ts.isFunctionLike(scope.parent)) return;
    collectBlockScoped(scope.statements, table);
    return;
  }
  if (ts.isCaseBlock(scope)) {
    for (const clause of scope.clauses) collectBlockScoped(clause.statements, table);
  }
}

/** let/const/class/function/enum declared directly in a statement list. */
function collectBlockScoped(statements: ts.NodeArray<ts.Statement>, table: Map<string, ts.Identifier>): void {
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      if (statement.declarationList.flags & ts.NodeFlags.BlockScoped) {
        for (const declaration of statement.declarationList.declarations) addBindingNames(declaration.name, table);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      addBindingNames(statement.name, table);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      addBindingNames(statement.name, table);
    }
  }
}

/** `var` declarations anywhere in a function body or file, not crossing nested functions. */
function collectHoistedVars(root: ts.Node, table: Map<string, ts.Identifier>): void {
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && !(node.flags & ts.NodeFlags.BlockScoped)) {
      for (const declaration of node.declarations) addBindingNames(declaration.name, table);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root, visit);
}

function collectImports(statement: ts.Statement, table: Map<string, ts.Identifier>): void {
  if (ts.isImportEqualsDeclaration(statement)) {
    table.set(statement.name.text, statement.name);
    return;
  }
  if (!ts.isImportDeclaration(statement) || !statement.importClause) return;
  const clause = statement.importClause;
  if (clause.name) table.set(clause.name.text, clause.name);
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    table.set(bindings.name.text, bindings.name);
  } else {
    for (const element of bindings.elements) table.set(element.name.text, element.name);
  }
}

function addBindingNames(name: ts.BindingName | ts.Identifier | undefined, table: Map<string, ts.Identifier>): void {
  if (!name) return;
  if (ts.isIdentifier(name)) {
    if (!table.has(name.text)) table.set(name.text, name);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) addBindingNames(element.name, table);
  }
}
