import type ts from "typescript";
import typescript from "./typescript.js";
import { runtimeOfPackage, type DurableRuntime } from "./durable-api.js";
import { functionOfReference, type FunctionNode } from "./functions.js";
import { referencePathOf, type PathResolution } from "./reference-path.js";
import { skipOuterExpressions } from "./syntax.js";
import { containsOffset } from "./sorted-offsets.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isArrowFunction, isBinaryExpression, isBindingElement, isCallExpression, isElementAccessExpression, isExportAssignment, isExpression, isExternalModuleReference, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isImportTypeNode, isLiteralTypeNode, isMethodDeclaration, isNamedImports, isNamespaceImport, isPropertyAccessExpression, isPropertyAssignment, isStringLiteral, isStringLiteralLike, isTypeReferenceNode, isVariableDeclaration, isVariableStatement } = typescript;

/** A durable handler: a root of orchestration code. */
export interface DurableHandler {
  readonly node: FunctionNode;
  /** The exported binding or the function's own name, for messages and step IDs. */
  readonly name: string;
  readonly contextParameters: readonly ts.ParameterDeclaration[];
  /** Which SDK the handler was written against, when the import says so. */
  readonly runtime: DurableRuntime | undefined;
  /** The `withDurableExecution(...)` call, when the handler was found through one. */
  readonly wrapperCall?: ts.CallExpression;
}

const WRAPPER_PATHS = new Map<string, DurableRuntime>([
  ["mod:replayable#withDurableExecution", "replayable"],
  ["mod:@aws/durable-execution-sdk-js#withDurableExecution", "aws"],
]);

/**
 * Finds durable handlers by symbol: functions passed to `withDurableExecution` imported
 * from either SDK, and functions with a parameter typed `DurableContext` (by annotation,
 * or by resolved type when a checker is present).
 */
export function findHandlers(
  sourceFile: ts.SourceFile,
  resolution: PathResolution,
  checker: ts.TypeChecker | undefined,
): DurableHandler[] {
  const handlers: DurableHandler[] = [];
  const seen = new Set<ts.Node>();
  // Resolving every call of a file is most of the cost: only calls rooted at a name bound to
  // either SDK can be the wrapper.
  const names = durableBindingNames(sourceFile);
  // A wrapper call contains its root name, a parameter typed DurableContext (without a checker)
  // its type's root name or "DurableContext": subtrees whose text contains none of them are
  // skipped. Only when the source spells every name as it reads (no escape sequences).
  const text = sourceFile.text;
  const occurrences = checker || text.includes("\\") ? undefined : occurrencesOf(text, [...names, "DurableContext"]);

  const visit = (node: ts.Node): void => {
    if (occurrences && !containsOffset(occurrences, node.pos, node.end)) return;
    if (isCallExpression(node)) {
      const root = rootName(node.expression);
      const runtime = root && names.has(root) ? WRAPPER_PATHS.get(referencePathOf(node.expression, resolution) ?? "") : undefined;
      const argument = node.arguments[0];
      const handler = runtime && argument ? functionOfReference(argument, resolution.scopes) : undefined;
      if (runtime && handler && !seen.has(handler)) {
        seen.add(handler);
        const context = handler.parameters[1];
        handlers.push({
          node: handler,
          name: bindingNameOf(node) ?? functionName(handler) ?? "handler",
          contextParameters: context ? [context] : [],
          runtime,
          wrapperCall: node,
        });
      }
    } else if (isFunctionLike(node) && isFunctionWithBody(node) && !seen.has(node)) {
      const typed = node.parameters.filter(
        (parameter) => (checker || mayNameDurableType(parameter, names)) && isDurableContextParameter(parameter, resolution, checker),
      );
      if (typed.length > 0) {
        seen.add(node);
        handlers.push({
          node,
          name: functionName(node) ?? "handler",
          contextParameters: typed,
          runtime: typeAnnotationPackage(typed[0]!, resolution),
        });
      }
    }
    forEachChild(node, visit);
  };
  visit(sourceFile);
  return handlers;
}

/** Sorted offsets where any of the names starts in the text. */
function occurrencesOf(text: string, names: readonly string[]): number[] {
  const offsets: number[] = [];
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) offsets.push(at);
  }
  return offsets.sort((a, b) => a - b);
}

export function isFunctionWithBody(node: ts.Node): node is FunctionNode {
  return (
    (isFunctionDeclaration(node) ||
      isFunctionExpression(node) ||
      isArrowFunction(node) ||
      isMethodDeclaration(node)) &&
    node.body !== undefined
  );
}

/** A parameter annotated `DurableContext` from either SDK, or resolved to it by the checker. */
export function isDurableContextParameter(
  parameter: ts.ParameterDeclaration,
  resolution: PathResolution,
  checker: ts.TypeChecker | undefined,
): boolean {
  if (typeAnnotationPackage(parameter, resolution)) return true;
  if (namesUnboundDurableContext(parameter, resolution)) return true;
  if (!checker) return false;
  const type = checker.getTypeAtLocation(parameter);
  return isDurableContextType(type);
}

export function isDurableContextType(type: ts.Type): boolean {
  return type.aliasSymbol?.name === "DurableContext" || type.getSymbol()?.name === "DurableContext";
}

function typeAnnotationPackage(parameter: ts.ParameterDeclaration, resolution: PathResolution): DurableRuntime | undefined {
  const annotation = parameter.type;
  if (annotation && isImportTypeNode(annotation)) return importTypePackage(annotation);
  if (!annotation || !isTypeReferenceNode(annotation)) return undefined;
  const typeName = annotation.typeName;
  let path: string | undefined;
  if (isIdentifier(typeName)) {
    path = referencePathOf(typeName, resolution);
  } else if (isIdentifier(typeName.left)) {
    const namespace = referencePathOf(typeName.left, resolution);
    path = namespace ? `${namespace}.${typeName.right.text}` : undefined;
  }
  const match = path && /^mod:([^#]+)#(?:\*\.)?DurableContext$/.exec(path);
  return match ? runtimeOfPackage(match[1]!) : undefined;
}

/**
 * `ctx: DurableContext` where the file neither imports nor declares the name (a snippet, a
 * global declaration): the type-checked config resolves it to the SDK's type through the
 * program, so the parse-only one takes it at its word and both configs agree.
 */
function namesUnboundDurableContext(parameter: ts.ParameterDeclaration, resolution: PathResolution): boolean {
  const annotation = parameter.type;
  if (!annotation || !isTypeReferenceNode(annotation) || !isIdentifier(annotation.typeName)) return false;
  return annotation.typeName.text === "DurableContext" && referencePathOf(annotation.typeName, resolution) === "DurableContext";
}

/** `ctx: import("replayable").DurableContext` */
function importTypePackage(annotation: ts.ImportTypeNode): DurableRuntime | undefined {
  const argument = annotation.argument;
  const module = isLiteralTypeNode(argument) && isStringLiteral(argument.literal) ? argument.literal.text : undefined;
  const qualifier = annotation.qualifier;
  const named = qualifier && isIdentifier(qualifier) && qualifier.text === "DurableContext";
  return module && named ? runtimeOfPackage(module) : undefined;
}


/** `export const processOrder = withDurableExecution(...)` is named processOrder. */
function bindingNameOf(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  while (node.parent && isExpression(node.parent) && skipOuterExpressions(node.parent as ts.Expression) === call) {
    node = node.parent;
  }
  const parent = node.parent;
  if (parent && isVariableDeclaration(parent) && isIdentifier(parent.name)) return parent.name.text;
  if (parent && isExportAssignment(parent)) return "default";
  if (parent && isBinaryExpression(parent) && parent.right === node && isPropertyAccessExpression(parent.left)) {
    return parent.left.name.text;
  }
  if (parent && isPropertyAssignment(parent) && isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

export function functionName(node: FunctionNode): string | undefined {
  if (node.name && isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (isVariableDeclaration(parent) && isIdentifier(parent.name)) return parent.name.text;
  if (isPropertyAssignment(parent) && isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/**
 * Names a file binds to either SDK: imports, `require(...)` (destructured or not), and
 * top-level consts derived from those (`const durable = sdk.withDurableExecution`).
 */
function durableBindingNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>(["withDurableExecution"]);
  const isDurable = (module: ts.Expression | undefined) =>
    module !== undefined && isStringLiteralLike(module) && runtimeOfPackage(module.text) !== undefined;
  const derived: ts.VariableDeclaration[] = [];
  for (const statement of sourceFile.statements) {
    if (isImportDeclaration(statement) && isDurable(statement.moduleSpecifier) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (isImportEqualsDeclaration(statement) && isExternalModuleReference(statement.moduleReference)) {
      if (isDurable(statement.moduleReference.expression)) names.add(statement.name.text);
    } else if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const call = declaration.initializer && requireCallIn(declaration.initializer);
        if (call && isDurable(call.arguments[0])) addBoundNames(declaration.name, names);
        else if (declaration.initializer) derived.push(declaration);
      }
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const declaration of derived) {
      const root = rootName(declaration.initializer!);
      if (!root || !names.has(root)) continue;
      const before = names.size;
      addBoundNames(declaration.name, names);
      grew ||= names.size > before;
    }
  }
  return names;
}

function requireCallIn(expression: ts.Expression): ts.CallExpression | undefined {
  let node = skipOuterExpressions(expression);
  while (isPropertyAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return isCallExpression(node) && isIdentifier(node.expression) && node.expression.text === "require" ? node : undefined;
}

function addBoundNames(name: ts.BindingName, names: Set<string>): void {
  if (isIdentifier(name)) names.add(name.text);
  else for (const element of name.elements) if (isBindingElement(element)) addBoundNames(element.name, names);
}

/** `sdk.withDurableExecution` gives "sdk"; `durable` gives "durable". */
function rootName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (isPropertyAccessExpression(node) || isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return isIdentifier(node) ? node.text : undefined;
}

/** Without types, only an annotation naming something the SDKs export can be a DurableContext. */
function mayNameDurableType(parameter: ts.ParameterDeclaration, names: ReadonlySet<string>): boolean {
  const annotation = parameter.type;
  if (!annotation) return false;
  if (isImportTypeNode(annotation)) return true;
  if (!isTypeReferenceNode(annotation)) return false;
  const typeName = annotation.typeName;
  const root = isIdentifier(typeName) ? typeName : isIdentifier(typeName.left) ? typeName.left : undefined;
  return root !== undefined && (names.has(root.text) || root.text === "DurableContext");
}
