import type ts from "typescript";
import typescript from "./typescript.js";
import { skipOuterExpressions } from "./syntax.js";
import { DURABLE_OPERATIONS } from "./durable-api.js";
import type { DurableHandler } from "./handlers.js";
import { ScopeResolver } from "./scope.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, forEachChild, isArrayBindingPattern, isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isCallExpression, isClassLike, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isMethodDeclaration, isNonNullExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isSatisfiesExpression, isSourceFile, isStringLiteral, isStringLiteralLike, isTemplateExpression, isVariableDeclaration, isVoidExpression } = typescript;

/**
 * Stable step IDs: `handlerKey/lexicalPath/localKey[#n]` (DESIGN.md, "Stable step IDs").
 *
 * - handlerKey: the handler's exported binding; for operations in a module-level helper
 *   (a function reached from orchestration code, not nested in a handler), the helper's name.
 * - lexicalPath: the keys of the enclosing child contexts (runInChildContext, map item
 *   functions, parallel branches) and named nested functions, outermost first; anonymous
 *   callbacks add nothing.
 * - localKey: the operation's function's own name, else the variable the result is assigned
 *   to, else the single callee inside the callback, else the operation type.
 * - `#n` (n >= 2) separates duplicates of one key in one scope, in source order.
 *
 * Never line numbers, file paths, versions or hashes. Explicit names are kept as written.
 */

/** How the name argument of a durable call is written. */
export type NameArgument =
  /** A string literal or template: the user's name, never changed. */
  | { readonly kind: "literal"; readonly node: ts.Expression; readonly text: string | undefined }
  /** `undefined` written in the name position: replaced by the computed name. */
  | { readonly kind: "undefined"; readonly node: ts.Expression }
  /** An expression that evaluates to the name at run time: never changed. */
  | { readonly kind: "dynamic"; readonly node: ts.Expression }
  /** No name: one is inserted as the first argument. */
  | { readonly kind: "missing" }
  /** Cannot tell from the syntax whether the first argument is a name. */
  | { readonly kind: "ambiguous"; readonly node: ts.Expression };

export interface OperationId {
  /** The durable call; for a step the transformer adds (a clock read put in a step), the node it replaces. */
  readonly node: ts.Node;
  readonly call: ts.CallExpression | undefined;
  /** "step", "wait", "promise.all", ... */
  readonly operation: string;
  readonly handlerKey: string;
  readonly lexicalPath: readonly string[];
  /** The key within its scope, with `#n` when it is a duplicate; the explicit name for a named call. */
  readonly key: string;
  /** The full ID; for an explicit literal name, the name itself. */
  readonly id: string;
  readonly explicit: boolean;
  readonly name: NameArgument;
}

/** The shape of an operation's first argument when it has no name, and its arity without a name. */
const UNNAMED_SHAPE: Readonly<Record<string, { readonly first: "function" | "object" | "array" | "string"; readonly functionIndex?: number; readonly maxArity: number }>> = {
  step: { first: "function", functionIndex: 0, maxArity: 2 },
  runInChildContext: { first: "function", functionIndex: 0, maxArity: 2 },
  waitForCondition: { first: "function", functionIndex: 0, maxArity: 2 },
  waitForCallback: { first: "function", functionIndex: 0, maxArity: 2 },
  map: { first: "array", functionIndex: 1, maxArity: 3 },
  parallel: { first: "array", maxArity: 2 },
  wait: { first: "object", maxArity: 1 },
  createCallback: { first: "object", maxArity: 1 },
  invoke: { first: "string", maxArity: 3 },
  "promise.all": { first: "array", maxArity: 1 },
  "promise.allSettled": { first: "array", maxArity: 1 },
  "promise.any": { first: "array", maxArity: 1 },
  "promise.race": { first: "array", maxArity: 1 },
};


function isStringLike(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  return isStringLiteralLike(inner) || isTemplateExpression(inner);
}

function isUndefinedKeyword(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  return (isIdentifier(inner) && inner.text === "undefined") || isVoidExpression(inner);
}

function isFunctionLiteral(node: ts.Expression): node is ts.ArrowFunction | ts.FunctionExpression {
  const inner = skipOuterExpressions(node);
  return isArrowFunction(inner) || isFunctionExpression(inner);
}

/** A function written inline, or a name bound in this file to a function. */
function denotesFunction(node: ts.Expression, scopes: ScopeResolver): boolean {
  const inner = skipOuterExpressions(node);
  if (isFunctionLiteral(inner)) return true;
  if (!isIdentifier(inner)) return false;
  const declaration = scopes.resolveIdentifier(inner)?.parent;
  if (!declaration) return false;
  if (isFunctionDeclaration(declaration)) return true;
  return isVariableDeclaration(declaration) && declaration.initializer !== undefined && isFunctionLiteral(declaration.initializer);
}

function matchesShape(node: ts.Expression, shape: "function" | "object" | "array" | "string", scopes: ScopeResolver): boolean {
  const inner = skipOuterExpressions(node);
  switch (shape) {
    case "function":
      return denotesFunction(inner, scopes);
    case "object":
      return isObjectLiteralExpression(inner);
    case "array":
      return isArrayLiteralExpression(inner);
    case "string":
      return isStringLike(inner);
  }
}

/** Syntactic counterpart of the runtime's overload parsing (`typeof first === "string"`). */
export function nameArgumentOf(call: ts.CallExpression, operation: string, scopes: ScopeResolver): NameArgument {
  const args = call.arguments;
  const first = args[0];
  if (!first) return { kind: "missing" };
  const shape = UNNAMED_SHAPE[operation];
  if (!shape) return { kind: "missing" };
  const second = args[1];
  if (operation === "invoke") {
    // invoke(name, funcId, ...) vs invoke(funcId, input?, ...): two strings mean a name.
    if (isStringLike(first) && second && isStringLike(second)) return literal(first);
    if (isStringLike(first)) return { kind: "missing" };
    if (args.length > shape.maxArity) return { kind: "dynamic", node: first };
    if (second && isStringLike(second)) return { kind: "dynamic", node: first };
    // A function id is a string: an object literal second is the input, so the first is the target, not a name.
    if (second && isObjectLiteralExpression(skipOuterExpressions(second))) return { kind: "missing" };
    return { kind: "ambiguous", node: first };
  }
  if (isStringLike(first)) return literal(first);
  if (isUndefinedKeyword(first)) return { kind: "undefined", node: first };
  if (matchesShape(first, shape.first, scopes)) return { kind: "missing" };
  if (args.length > shape.maxArity) return { kind: "dynamic", node: first };
  if (shape.functionIndex !== undefined) {
    const atUnnamed = args[shape.functionIndex];
    const atNamed = args[shape.functionIndex + 1];
    if (atUnnamed && isFunctionLiteral(atUnnamed)) return { kind: "missing" };
    if (atNamed && denotesFunction(atNamed, scopes)) return { kind: "dynamic", node: first };
    // The function is required: with no room for a name before it, the first argument is not a name.
    if (args.length <= shape.functionIndex + 1) return { kind: "missing" };
    if (atNamed && isObjectLiteralExpression(skipOuterExpressions(atNamed))) return { kind: "missing" };
  } else if (shape.first === "array" && second && matchesShape(second, "array", scopes)) {
    return { kind: "dynamic", node: first };
  } else if (shape.first === "object" && args.length === 1 && isIdentifier(skipOuterExpressions(first))) {
    // wait(duration) needs its duration; createCallback(x) is config or name.
    if (operation === "wait") return { kind: "missing" };
  }
  return { kind: "ambiguous", node: first };
}

function literal(node: ts.Expression): NameArgument {
  const inner = skipOuterExpressions(node);
  return { kind: "literal", node, text: isStringLiteralLike(inner) ? inner.text : undefined };
}

/** The arguments after the name, whatever the name's form. */
function argumentsAfterName(call: ts.CallExpression, name: NameArgument): readonly ts.Expression[] {
  return name.kind === "missing" ? call.arguments : call.arguments.slice(1);
}

/** `fetchUser`, `this.fetchUser`, `services.users.fetch` -> the last name. */
function referenceName(node: ts.Expression): string | undefined {
  const inner = skipOuterExpressions(node);
  if (isIdentifier(inner)) return inner.text;
  if (isPropertyAccessExpression(inner) && isIdentifier(inner.name)) return inner.name.text;
  if (isFunctionExpression(inner) && inner.name) return inner.name.text;
  return undefined;
}

/** A dotted callee such as `sendEmail` or `payments.charge`; undefined for anything else. */
function calleeText(node: ts.Expression): string | undefined {
  const inner = skipOuterExpressions(node);
  if (isIdentifier(inner)) return inner.text;
  if (isPropertyAccessExpression(inner) && isIdentifier(inner.name)) {
    if (inner.expression.kind === SyntaxKind.ThisKeyword) return inner.name.text;
    const left = calleeText(inner.expression);
    return left === undefined ? undefined : `${left}.${inner.name.text}`;
  }
  return undefined;
}

/** The single call made by a callback's body (not counting nested functions), as a name. */
function singleCallee(fn: ts.Expression): string | undefined {
  const inner = skipOuterExpressions(fn);
  if (!isArrowFunction(inner) && !isFunctionExpression(inner)) return undefined;
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node)) return;
    if (isCallExpression(node)) calls.push(node);
    forEachChild(node, visit);
  };
  visit(inner.body);
  if (calls.length !== 1) return undefined;
  return calleeText(calls[0]!.expression);
}

/** The variable (or property, or array binding's first element) the operation's result goes to. */
function assignedName(call: ts.CallExpression): string | undefined {
  let node: ts.Node = call;
  let holder = node.parent;
  while (
    isParenthesizedExpression(holder) ||
    isAwaitExpression(holder) ||
    isAsExpression(holder) ||
    isNonNullExpression(holder) ||
    isSatisfiesExpression(holder)
  ) {
    node = holder;
    holder = holder.parent;
  }
  if (isVariableDeclaration(holder) && holder.initializer === node) {
    if (isIdentifier(holder.name)) return holder.name.text;
    if (isArrayBindingPattern(holder.name)) {
      const element = holder.name.elements[0];
      if (element && isBindingElement(element) && isIdentifier(element.name)) return element.name.text;
    }
    return undefined;
  }
  if (isPropertyAssignment(holder) && holder.initializer === node && (isIdentifier(holder.name) || isStringLiteral(holder.name))) {
    return holder.name.text;
  }
  if (isBinaryExpression(holder) && holder.right === node && holder.operatorToken.kind === SyntaxKind.EqualsToken) {
    return referenceName(holder.left);
  }
  return undefined;
}

/** The function argument an operation runs (the step function, the child body, the map item function...). */
function operationFunction(call: ts.CallExpression, operation: string, name: NameArgument): ts.Expression | undefined {
  const rest = argumentsAfterName(call, name);
  const index = UNNAMED_SHAPE[operation]?.functionIndex;
  return index === undefined ? undefined : rest[index];
}

/** localKey: own name of the function, else the assigned variable, else the single callee, else the type. */
export function localKeyOf(call: ts.CallExpression, operation: string, name: NameArgument): string {
  const fn = operationFunction(call, operation, name);
  const own = fn && !isArrowFunction(skipOuterExpressions(fn)) ? referenceName(fn) : undefined;
  return own ?? assignedName(call) ?? (fn ? singleCallee(fn) : undefined) ?? operation;
}

function nameOfFunction(node: ts.Node): string | undefined {
  if ((isFunctionDeclaration(node) || isFunctionExpression(node)) && node.name) return node.name.text;
  if (isMethodDeclaration(node) && (isIdentifier(node.name) || isStringLiteral(node.name))) return node.name.text;
  let holder = node.parent;
  while (holder && (isParenthesizedExpression(holder) || isAsExpression(holder) || isSatisfiesExpression(holder))) holder = holder.parent;
  if (holder && isVariableDeclaration(holder) && isIdentifier(holder.name)) return holder.name.text;
  if (holder && isPropertyAssignment(holder) && (isIdentifier(holder.name) || isStringLiteral(holder.name))) return holder.name.text;
  return undefined;
}

/** Where a function sits as an argument of a durable call, if it does. */
interface ChildBody {
  readonly call: ts.CallExpression;
  /** For a parallel branch: the branch's name or its index. */
  readonly branch?: string;
}

function childBodyOf(fn: ts.Node, operations: ReadonlyMap<ts.CallExpression, string>): ChildBody | undefined {
  let node: ts.Node = fn;
  let holder = node.parent;
  while (holder && (isParenthesizedExpression(holder) || isAsExpression(holder) || isSatisfiesExpression(holder))) {
    node = holder;
    holder = holder.parent;
  }
  if (!holder) return undefined;
  if (isCallExpression(holder) && holder.arguments.some((argument) => argument === node)) {
    const operation = operations.get(holder);
    if (operation && DURABLE_OPERATIONS[operation] === "orchestration") return { call: holder };
    return undefined;
  }
  // parallel([fn, { name, func }])
  let element: ts.Node = node;
  let branchName: string | undefined;
  if ((isPropertyAssignment(holder) && holder.initializer === node) || isMethodDeclaration(node)) {
    const object = isMethodDeclaration(node) ? node.parent : holder.parent;
    if (!isObjectLiteralExpression(object)) return undefined;
    for (const property of object.properties) {
      if (isPropertyAssignment(property) && isIdentifier(property.name) && property.name.text === "name" && isStringLiteralLike(property.initializer)) {
        branchName = property.initializer.text;
      }
    }
    element = object;
    holder = object.parent;
  }
  if (!isArrayLiteralExpression(holder)) return undefined;
  const list = holder;
  const call = list.parent;
  if (!isCallExpression(call) || operations.get(call) !== "parallel" || !call.arguments.some((argument) => argument === list)) return undefined;
  const index = list.elements.findIndex((candidate) => candidate === element);
  const fnName = isMethodDeclaration(node) ? undefined : nameOfFunction(fn);
  return { call, branch: branchName ?? (fnName && !isArrowFunction(fn) ? fnName : String(index)) };
}

/** An operation the transformer will add, e.g. the step that records a clock read. */
export interface AddedOperation {
  readonly node: ts.Node;
  readonly operation: string;
  readonly localKey: string;
}

/** The handler key and lexical path of the operations directly inside one function. */
interface Place {
  readonly handlerKey: string;
  readonly lexicalPath: readonly string[];
  /** handlerKey and lexicalPath joined by "/". */
  readonly scope: string;
}

/** Operations in no function (or in a class body outside one). */
const MODULE_PLACE: Place = { handlerKey: "module", lexicalPath: [], scope: "module" };

/**
 * The place of the operations whose innermost function is `innermost`. The keys of the durable
 * calls around it are known: those calls start before every operation inside them.
 */
function placeOf(
  innermost: ts.Node,
  handlerNames: ReadonlyMap<ts.Node, string>,
  operations: ReadonlyMap<ts.CallExpression, string>,
  keys: ReadonlyMap<ts.CallExpression, string>,
): Place {
  // Functions between the node and the root, innermost first.
  const functions: ts.Node[] = [innermost];
  for (let node: ts.Node | undefined = innermost.parent; node && !isSourceFile(node); node = node.parent) {
    if (isFunctionLike(node)) functions.push(node);
    if (isClassLike(node)) break;
  }
  let rootIndex = functions.findIndex((fn) => handlerNames.has(fn));
  if (rootIndex < 0) rootIndex = functions.length - 1;
  const root = functions[rootIndex];
  const handlerKey = (root && (handlerNames.get(root) ?? nameOfFunction(root))) ?? "module";
  const lexicalPath: string[] = [];
  for (let index = rootIndex - 1; index >= 0; index--) {
    const fn = functions[index]!;
    const child = childBodyOf(fn, operations);
    if (child) {
      const parentKey = keys.get(child.call) ?? operations.get(child.call)!;
      lexicalPath.push(child.branch === undefined ? parentKey : `${parentKey}/${child.branch}`);
      continue;
    }
    const own = nameOfFunction(fn);
    if (own) lexicalPath.push(own);
  }
  const scope = lexicalPath.length === 0 ? handlerKey : `${handlerKey}/${lexicalPath.join("/")}`;
  return { handlerKey, lexicalPath, scope };
}

/**
 * Computes the ID of every durable operation of a file's analysis (and of the operations a
 * rewrite adds), in source order. `operations` is FileAnalysis.operations; `handlers` its handlers.
 */
export function computeOperationIds(
  sourceFile: ts.SourceFile,
  handlers: readonly DurableHandler[],
  operations: ReadonlyMap<ts.CallExpression, string>,
  added: readonly AddedOperation[] = [],
  /** The analysis's resolver for this file (FileAnalysis.scopes), whose tables are already built. */
  scopes: ScopeResolver = new ScopeResolver(),
): OperationId[] {
  const handlerNames = new Map<ts.Node, string>();
  for (const handler of handlers) handlerNames.set(handler.node, handler.name);
  const entries: { node: ts.Node; start: number; call: ts.CallExpression | undefined; operation: string; localKey: string | undefined }[] = [];
  for (const [call, operation] of operations) entries.push({ node: call, start: call.getStart(sourceFile), call, operation, localKey: undefined });
  for (const entry of added) entries.push({ node: entry.node, start: entry.node.getStart(sourceFile), call: undefined, operation: entry.operation, localKey: entry.localKey });
  entries.sort((a, b) => a.start - b.start);
  const keys = new Map<ts.CallExpression, string>();
  const counts = new Map<string, number>();
  const places = new Map<ts.Node, Place>();
  const result: OperationId[] = [];

  for (const entry of entries) {
    const { call, operation } = entry;
    const name: NameArgument = call ? nameArgumentOf(call, operation, scopes) : { kind: "missing" };
    // The innermost function around the node; what lies above it is the same for every operation in it.
    let innermost: ts.Node | undefined;
    for (let node: ts.Node | undefined = entry.node.parent; node && !isSourceFile(node); node = node.parent) {
      if (isFunctionLike(node)) {
        innermost = node;
        break;
      }
      if (isClassLike(node)) break;
    }
    let place = innermost ? places.get(innermost) : MODULE_PLACE;
    if (!place) {
      place = placeOf(innermost!, handlerNames, operations, keys);
      places.set(innermost!, place);
    }
    const { handlerKey, scope } = place;
    const lexicalPath = [...place.lexicalPath];
    let key: string;
    let id: string;
    if (call && (name.kind === "literal" || name.kind === "dynamic" || name.kind === "ambiguous")) {
      key = name.kind === "literal" && name.text !== undefined ? name.text : localKeyOf(call, operation, name);
      id = name.kind === "literal" && name.text !== undefined ? name.text : name.node.getText(sourceFile);
    } else {
      const local = entry.localKey ?? localKeyOf(call!, operation, name);
      const countKey = `${scope}\u0000${local}`;
      const seen = (counts.get(countKey) ?? 0) + 1;
      counts.set(countKey, seen);
      key = seen === 1 ? local : `${local}#${seen}`;
      id = `${scope}/${key}`;
    }
    if (call) keys.set(call, key);
    result.push({ node: entry.node, call, operation, handlerKey, lexicalPath, key, id, explicit: name.kind === "literal" || name.kind === "dynamic", name });
  }
  return result;
}
