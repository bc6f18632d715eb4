import type ts from "typescript";
import typescript from "./typescript.js";
import type { ScopeResolver } from "./scope.js";
import { skipOuterExpressions } from "./syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { NodeFlags, SyntaxKind, isAwaitExpression, isBindingElement, isCallExpression, isElementAccessExpression, isExternalModuleReference, isIdentifier, isImportClause, isImportEqualsDeclaration, isImportSpecifier, isNamespaceImport, isNewExpression, isObjectBindingPattern, isParameter, isPropertyAccessExpression, isStringLiteral, isStringLiteralLike, isVariableDeclaration, isVariableDeclarationList } = typescript;

/**
 * A reference path names what an expression refers to, independent of how the code
 * spells it:
 *   `Math.random`                 a global (also through globalThis., aliases, destructuring)
 *   `mod:uuid#v4`                 an export of a module (named, namespace, default, require)
 *   `mod:@aws-sdk/client-s3#S3Client().send`   a member of a value a call or `new` returned
 *   `<ctx>.lambdaContext`         a member of a durable context value
 * Node builtins that mirror globals (`process`, `timers`, `perf_hooks`, `crypto`) are folded
 * into the global spelling so one catalog entry covers both.
 * `undefined` means the expression is local or unknown, and so never a source.
 */
export type ReferencePath = string;

export const CONTEXT_ROOT = "<ctx>";

const GLOBAL_OBJECTS = new Set(["globalThis", "window", "self", "global"]);
const MAX_ALIAS_DEPTH = 16;

export interface PathResolution {
  readonly scopes: ScopeResolver;
  /** True for a parameter known to receive a durable context. */
  isContextParameter(parameter: ts.ParameterDeclaration): boolean;
  /**
   * With a type checker: true when an expression the syntax cannot follow (a variable from a
   * call, a property of an object) holds a durable context by its type.
   */
  readonly isContextByType?: ((expression: ts.Expression) => boolean) | undefined;
  /** A destructured parameter element that received a context inside an object. */
  readonly isContextBinding?: (element: ts.BindingElement) => boolean;
  /** `deps.ctx` where the caller passed an object holding a context as `ctx`. */
  readonly isContextMember?: (access: ts.PropertyAccessExpression) => boolean;
}

export function referencePathOf(expression: ts.Expression, resolution: PathResolution, depth = 0): ReferencePath | undefined {
  if (depth > MAX_ALIAS_DEPTH) return undefined;
  const node = skipOuterExpressions(expression);

  if (isIdentifier(node)) return identifierPath(node, resolution, depth) ?? contextByType(node, resolution);
  if (isPropertyAccessExpression(node)) {
    if (resolution.isContextMember?.(node)) return CONTEXT_ROOT;
    return memberPath(referencePathOf(node.expression, resolution, depth), node.name.text) ?? contextByType(node, resolution);
  }
  if (isElementAccessExpression(node) && isStringLiteralLike(node.argumentExpression)) {
    return memberPath(referencePathOf(node.expression, resolution, depth), node.argumentExpression.text);
  }
  if (isCallExpression(node)) {
    const required = requiredModule(node, resolution);
    if (required) return modulePath(required, "*");
    const callee = referencePathOf(node.expression, resolution, depth);
    return callee === undefined ? undefined : `${callee}()`;
  }
  if (isNewExpression(node)) {
    const callee = referencePathOf(node.expression, resolution, depth);
    return callee === undefined ? undefined : `${callee}()`;
  }
  if (isAwaitExpression(node)) {
    const imported = dynamicImportModule(node.expression);
    if (imported) return modulePath(imported, "*");
  }
  return undefined;
}

function contextByType(node: ts.Expression, resolution: PathResolution): ReferencePath | undefined {
  return resolution.isContextByType?.(node) ? CONTEXT_ROOT : undefined;
}

/** The declaration a binding identifier resolves to, followed through to its path. */
export function declarationPath(declaration: ts.Identifier, resolution: PathResolution, depth = 0): ReferencePath | undefined {
  const parent = declaration.parent;
  if (isParameter(parent)) return resolution.isContextParameter(parent) ? CONTEXT_ROOT : undefined;

  if (isImportSpecifier(parent)) {
    const module = importModuleName(parent.parent.parent.parent);
    const imported = (parent.propertyName ?? parent.name).text;
    return module === undefined ? undefined : modulePath(module, imported);
  }
  if (isImportClause(parent)) {
    const module = importModuleName(parent.parent);
    return module === undefined ? undefined : modulePath(module, "default");
  }
  if (isNamespaceImport(parent)) {
    const module = importModuleName(parent.parent.parent);
    return module === undefined ? undefined : modulePath(module, "*");
  }
  if (isImportEqualsDeclaration(parent)) {
    const reference = parent.moduleReference;
    if (isExternalModuleReference(reference) && isStringLiteral(reference.expression)) {
      return modulePath(reference.expression.text, "*");
    }
    return undefined;
  }
  if (isVariableDeclaration(parent) && parent.name === declaration) {
    if (!isConst(parent) || !parent.initializer) return undefined;
    return referencePathOf(parent.initializer, resolution, depth + 1);
  }
  if (isBindingElement(parent) && parent.name === declaration) {
    if (resolution.isContextBinding?.(parent)) return CONTEXT_ROOT;
    return bindingElementPath(parent, resolution, depth);
  }
  return undefined;
}

/** The path a destructured binding reads: `const { now } = Date` gives `Date.now`. */
export function bindingElementPath(element: ts.BindingElement, resolution: PathResolution, depth: number): ReferencePath | undefined {
  const pattern = element.parent;
  if (!isObjectBindingPattern(pattern) || element.dotDotDotToken) return undefined;
  const key = element.propertyName ?? element.name;
  const property = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
  if (property === undefined) return undefined;
  const source = bindingSourcePath(pattern.parent, resolution, depth);
  return memberPath(source, property);
}

function bindingSourcePath(holder: ts.Node, resolution: PathResolution, depth: number): ReferencePath | undefined {
  if (isVariableDeclaration(holder)) {
    if (!isConst(holder) || !holder.initializer) return undefined;
    return referencePathOf(holder.initializer, resolution, depth + 1);
  }
  if (isBindingElement(holder)) return bindingElementPath(holder, resolution, depth);
  // `({ lambdaContext }: DurableContext) => ...`: a destructured context parameter.
  if (isParameter(holder)) return resolution.isContextParameter(holder) ? CONTEXT_ROOT : undefined;
  return undefined;
}

function identifierPath(identifier: ts.Identifier, resolution: PathResolution, depth: number): ReferencePath | undefined {
  const declaration = resolution.scopes.resolveIdentifier(identifier);
  if (!declaration) {
    if (identifier.text === "undefined") return undefined;
    return GLOBAL_OBJECTS.has(identifier.text) ? "globalThis" : identifier.text;
  }
  return declarationPath(declaration, resolution, depth);
}

function memberPath(base: ReferencePath | undefined, property: string): ReferencePath | undefined {
  if (base === undefined) return undefined;
  if (base === "globalThis") return GLOBAL_OBJECTS.has(property) ? "globalThis" : property;
  return normalize(`${base}.${property}`);
}

/** Folds namespace/default members into named exports, and builtins into globals. */
function modulePath(module: string, exported: string): ReferencePath {
  return normalize(`mod:${module.replace(/^node:/, "")}#${exported}`);
}

const BUILTINS_AS_GLOBALS: Record<string, string> = {
  process: "process",
  timers: "",
  perf_hooks: "",
  crypto: "crypto",
  console: "console",
};

function normalize(path: string): string {
  // Most paths are plain globals or locals: skip the regular expressions for them.
  if (!path.startsWith("mod:") && !path.startsWith("crypto.webcrypto.")) return path;
  let result = path.replace(/^(mod:[^#]+)#(?:\*|default)\.(.+)$/, "$1#$2");
  const builtin = /^mod:([^#]+)#(.+)$/.exec(result);
  if (builtin && Object.hasOwn(BUILTINS_AS_GLOBALS, builtin[1]!)) {
    const prefix = BUILTINS_AS_GLOBALS[builtin[1]!]!;
    const rest = builtin[2]!;
    result = rest === "*" || rest === "default" ? prefix || "globalThis" : prefix ? `${prefix}.${rest}` : rest;
  }
  return result.replace(/^crypto\.webcrypto\./, "crypto.");
}

function requiredModule(call: ts.CallExpression, resolution: PathResolution): string | undefined {
  const [argument] = call.arguments;
  if (
    isIdentifier(call.expression) &&
    call.expression.text === "require" &&
    call.arguments.length === 1 &&
    argument &&
    isStringLiteralLike(argument) &&
    !resolution.scopes.resolveIdentifier(call.expression)
  ) {
    return argument.text;
  }
  return undefined;
}

function dynamicImportModule(expression: ts.Expression): string | undefined {
  const [argument] = isCallExpression(expression) ? expression.arguments : [];
  if (
    isCallExpression(expression) &&
    expression.expression.kind === SyntaxKind.ImportKeyword &&
    argument &&
    isStringLiteralLike(argument)
  ) {
    return argument.text;
  }
  return undefined;
}

function importModuleName(declaration: ts.ImportDeclaration | ts.JSDocImportTag): string | undefined {
  return isStringLiteral(declaration.moduleSpecifier) ? declaration.moduleSpecifier.text : undefined;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  return isVariableDeclarationList(list) && (list.flags & NodeFlags.Const) !== 0;
}

/** `ctx.step(...)` gives "step", `ctx.promise.all(...)` gives "promise.all"; other calls give undefined. */
export function durableOperationOf(call: ts.CallExpression, resolution: PathResolution, operations: Readonly<Record<string, unknown>>): string | undefined {
  return durableOperationOfPath(referencePathOf(call.expression, resolution), operations);
}

/** durableOperationOf for a callee whose path is already known. */
export function durableOperationOfPath(callee: ReferencePath | undefined, operations: Readonly<Record<string, unknown>>): string | undefined {
  if (!callee?.startsWith(CONTEXT_PREFIX)) return undefined;
  // Looked up among the table's own keys only: `ctx.toString()` names an inherited Object
  // method, not an operation. The string returned is the table's own, so later lookups by it are cheap.
  return operationPathsOf(operations).get(callee);
}

const CONTEXT_PREFIX = `${CONTEXT_ROOT}.`;
const operationPaths = new WeakMap<object, Map<ReferencePath, string>>();

/** `<ctx>.step` -> "step" for each own key of an operations table. */
function operationPathsOf(operations: Readonly<Record<string, unknown>>): Map<ReferencePath, string> {
  let paths = operationPaths.get(operations);
  if (!paths) {
    paths = new Map(Object.keys(operations).map((operation) => [`${CONTEXT_PREFIX}${operation}`, operation]));
    operationPaths.set(operations, paths);
  }
  return paths;
}
