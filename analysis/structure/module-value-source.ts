import type ts from "typescript";
import typescript from "../typescript.js";
import { environmentUseAt, PER_INVOCATION_VARIABLES } from "../environment-read.js";
import { findSource, type HazardCategory } from "../hazard-catalog.js";
import { referencePathOf, type PathResolution } from "../reference-path.js";
import { isCallee } from "../syntax.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { forEachChild, isBindingElement, isCallExpression, isFunctionLike, isIdentifier, isNewExpression, isObjectBindingPattern, isPropertyAccessExpression, isStringLiteralLike, isVariableDeclaration } = typescript;

/** Sources whose value each container computes differently when a module is loaded. */
const PER_CONTAINER: ReadonlySet<HazardCategory> = new Set(["random", "clock", "invocation"]);

/**
 * The non-deterministic source a module-level `const` is computed from when the module loads
 * (`const canary = Math.random() < 0.1`, `const started = Date.now()`, a variable Lambda sets per
 * invocation or container such as `process.env._X_AMZN_TRACE_ID`, or a const computed from
 * such a const), as written ("Math.random()"); undefined for a value every container computes
 * alike. Functions in the initializer are not evaluated at load time and are skipped.
 */
export function moduleValueSource(declaration: ts.Identifier, resolution: PathResolution, seen = new Set<ts.Node>()): string | undefined {
  let holder: ts.Node = declaration.parent;
  while (isBindingElement(holder) || holder.kind === typescript.SyntaxKind.ObjectBindingPattern || holder.kind === typescript.SyntaxKind.ArrayBindingPattern) {
    holder = holder.parent;
  }
  if (!isVariableDeclaration(holder) || !holder.initializer || seen.has(holder)) return undefined;
  seen.add(holder);
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionLike(node)) return;
    const source = sourceAt(node, resolution, declaration);
    if (source) {
      found = source;
      return;
    }
    if (isIdentifier(node)) {
      const target = resolution.scopes.resolveIdentifier(node);
      if (target && target !== declaration && isModuleLevelConst(target)) found = moduleValueSource(target, resolution, seen);
      return;
    }
    forEachChild(node, visit);
  };
  visit(holder.initializer);
  return found;
}

function sourceAt(node: ts.Node, resolution: PathResolution, declaration: ts.Identifier): string | undefined {
  let kind: "call" | "new" | "read";
  let callee: ts.Expression;
  let argumentCount = 0;
  if (isCallExpression(node) || isNewExpression(node)) {
    kind = isCallExpression(node) ? "call" : "new";
    callee = node.expression;
    argumentCount = node.arguments?.length ?? 0;
  } else if (isPropertyAccessExpression(node) && !isCallee(node)) {
    kind = "read";
    callee = node;
  } else {
    return undefined;
  }
  const path = referencePathOf(callee, resolution);
  const source = path === undefined ? undefined : findSource(kind, path, argumentCount);
  if (!source) return undefined;
  const spelled = callee.getText();
  if (path === "process.env" || path === "Deno.env") return perInvocationRead(node, spelled, declaration);
  if (!PER_CONTAINER.has(source.category)) return undefined;
  return kind === "read" ? spelled : kind === "new" ? `new ${spelled}()` : `${spelled}()`;
}

/**
 * "process.env._X_AMZN_TRACE_ID" where the environment object at `node` is read for a variable
 * Lambda sets per invocation or container; of a destructuring, only for the declaration's own key.
 */
function perInvocationRead(node: ts.Node, spelled: string, declaration: ts.Identifier): string | undefined {
  const use = environmentUseAt(node, NOTHING_WRITTEN);
  if (use.kind !== "per-invocation") return undefined;
  const element = declaration.parent;
  if (isBindingElement(element) && isObjectBindingPattern(element.parent) && element.parent.parent === node.parent) {
    const key = element.propertyName ?? element.name;
    const name = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
    return name !== undefined && PER_INVOCATION_VARIABLES.has(name) ? `${spelled}.${name}` : undefined;
  }
  return `${spelled}.${use.names[0]}`;
}

const NOTHING_WRITTEN: ReadonlySet<string> = new Set();

function isModuleLevelConst(declaration: ts.Identifier): boolean {
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    if (isFunctionLike(node)) return false;
    if (node.kind === typescript.SyntaxKind.VariableDeclarationList) {
      return (node.flags & typescript.NodeFlags.Const) !== 0 && node.parent.parent.kind === typescript.SyntaxKind.SourceFile;
    }
  }
  return false;
}
