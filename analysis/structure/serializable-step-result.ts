import type ts from "typescript";
import typescript from "../typescript.js";
import type { Finding } from "../finding.js";
import { functionOfReference } from "../functions.js";
import type { ScopeResolver } from "../scope.js";
import { skipOuterExpressions } from "../syntax.js";
import { structureFinding, type StructureCheck } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SignatureKind, SymbolFlags, TypeFlags, isArrayLiteralExpression, isMethodDeclaration, isMethodSignature, isObjectLiteralExpression, isPropertyAssignment } = typescript;

/** Operations whose function's result is checkpointed with the default JSON serdes. */
const CHECKPOINTED_RESULTS = new Set(["step", "runInChildContext", "map", "parallel"]);
/** Library types that JSON turns into something else. */
const NON_JSON_TYPES = new Set(["Date", "Map", "Set", "WeakMap", "WeakSet", "RegExp", "Promise", "Error", "URL", "Buffer", "Uint8Array", "ArrayBuffer"]);
const MAX_DEPTH = 6;

/**
 * (Type-aware) A step result that JSON does not round-trip: on replay the handler gets a
 * string for a Date, {} for a Map, nothing for a function, and takes another path.
 */
export const serializableStepResults: StructureCheck = (walk) => {
  const checker = walk.checker;
  if (!checker) return [];
  const findings: Finding[] = [];
  for (const [call, operation] of walk.operations) {
    if (!CHECKPOINTED_RESULTS.has(operation) || hasCustomSerdes(call, checker)) continue;
    for (const fnArgument of resultFunctions(call, operation, walk.scopes, checker)) {
      const signature = checker.getSignaturesOfType(checker.getTypeAtLocation(fnArgument), SignatureKind.Call)[0];
      if (!signature) continue;
      const result = checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType();
      const problem = unserializablePart(result, checker, "", new Set(), 0);
      if (!problem) continue;
      findings.push(
        structureFinding(walk, {
          rule: "serializable-step-result",
          node: fnArgument,
          unit: walk.operationUnits.get(call),
          source: `The result of ${call.expression.getText(walk.sourceFile)}()`,
          problem: `holds ${problem}, which the JSON checkpoint does not restore`,
          fix: "return plain data (strings, numbers, ISO dates, arrays, plain objects), or pass a serdes in the step's config",
        }),
      );
    }
  }
  return findings;
};

/** The functions whose results are checkpointed: the step or child function, the map item function, each parallel branch. */
function resultFunctions(call: ts.CallExpression, operation: string, scopes: ScopeResolver, checker: ts.TypeChecker): ts.Expression[] {
  if (operation === "parallel") {
    const branches = call.arguments.map((argument) => skipOuterExpressions(argument)).find(isArrayLiteralExpression);
    return (branches?.elements ?? []).flatMap((element) => {
      const branch = skipOuterExpressions(element);
      if (!isObjectLiteralExpression(branch)) return isFunctionTyped(branch, checker) ? [branch] : [];
      const func = branch.properties.find((property) => property.name?.getText() === "func");
      return func && isPropertyAssignment(func) ? [func.initializer] : [];
    });
  }
  const fn = call.arguments.find((argument) => functionOfReference(argument, scopes) !== undefined || isFunctionTyped(argument, checker));
  return fn ? [fn] : [];
}

/** A `serdes` in the config, written inline or held in a variable: its type tells. */
function hasCustomSerdes(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  return call.arguments.some((argument) => {
    const node = skipOuterExpressions(argument);
    if (isObjectLiteralExpression(node)) return node.properties.some((property) => property.name?.getText() === "serdes");
    if (isFunctionTyped(node, checker)) return false;
    return checker.getTypeAtLocation(node).getProperty("serdes") !== undefined;
  });
}

function isFunctionTyped(argument: ts.Expression, checker: ts.TypeChecker): boolean {
  return checker.getSignaturesOfType(checker.getTypeAtLocation(argument), SignatureKind.Call).length > 0;
}

/** A description such as "a Date at .createdAt", or undefined when JSON round-trips the type. */
function unserializablePart(type: ts.Type, checker: ts.TypeChecker, at: string, seen: Set<ts.Type>, depth: number): string | undefined {
  if (depth > MAX_DEPTH || seen.has(type)) return undefined;
  const where = at ? ` at ${at}` : "";
  if (type.flags & (TypeFlags.Any | TypeFlags.Unknown | TypeFlags.Never)) return undefined;
  if (type.flags & TypeFlags.BigIntLike) return `a bigint${where}`;
  if (type.flags & TypeFlags.ESSymbolLike) return `a symbol${where}`;
  if (type.isUnion() || type.isIntersection()) {
    for (const member of type.types) {
      const found = unserializablePart(member, checker, at, seen, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!(type.flags & TypeFlags.Object)) return undefined;
  seen.add(type);
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  if (name && NON_JSON_TYPES.has(name)) return `a ${name}${where}`;
  if (type.getCallSignatures().length > 0) return `a function${where}`;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    for (const element of checker.getTypeArguments(type as ts.TypeReference)) {
      const found = unserializablePart(element, checker, `${at}[]`, seen, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (symbol && symbol.flags & SymbolFlags.Class) return `an instance of class ${name}${where}`;
  for (const index of checker.getIndexInfosOfType(type)) {
    const found = unserializablePart(index.type, checker, `${at}[key]`, seen, depth + 1);
    if (found) return found;
  }
  for (const property of checker.getPropertiesOfType(type)) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    if (isMethodDeclaration(declaration) || isMethodSignature(declaration)) return `a function${where ? where : ""} (.${property.getName()})`;
    const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
    const found = unserializablePart(propertyType, checker, `${at}.${property.getName()}`, seen, depth + 1);
    if (found) return found;
  }
  return undefined;
}
