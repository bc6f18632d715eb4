import type ts from "typescript";
import { scriptKindOf } from "../analysis/index.js";
import { DURABLE_MARKER } from "../analysis/durable-marker.js";
import typescript from "../analysis/typescript.js";
import { applyPlanToText, type SourceMapV3 } from "./apply-text.js";
import { resolveOptions, type TransformOptions } from "./options.js";
import { planTransform, type EditPlan, type OperationIdEntry, type TransformDiagnostic } from "./plan.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { ScriptTarget, createSourceFile, forEachChild } = typescript;

export interface TransformResult {
  /** The transformed code; the input itself, byte for byte, when the file has no durable handler. */
  readonly code: string;
  /** Source map from the transformed code to the input; undefined when nothing changed. */
  readonly map: SourceMapV3 | undefined;
  readonly ids: readonly OperationIdEntry[];
  readonly diagnostics: readonly TransformDiagnostic[];
}

/**
 * Parses a file as the transformer sees it (parse-only, parent pointers set). The tree is the
 * one `createSourceFile(..., setParentNodes: true)` gives; the parent pointers are linked by
 * linkParents, which does what TypeScript's fixupParentReferences does in one recursive walk
 * instead of its work queue, at about a quarter of the parse's cost less.
 */
export function parseForTransform(code: string, fileName: string): ts.SourceFile {
  return linkParents(createSourceFile(fileName, code, ScriptTarget.Latest, false, scriptKindOf(fileName)));
}

/**
 * Sets the parent pointer of every node, as TypeScript's setParentRecursive(sourceFile, true)
 * does: children as forEachChild lists them, a child whose parent is already set is skipped
 * with its subtree, and the JSDoc comments of each node (whose parent the parser set) get the
 * parents of their own nodes, without looking at JSDoc inside JSDoc.
 */
export function linkParents(sourceFile: ts.SourceFile): ts.SourceFile {
  let parent: ts.Node = sourceFile;
  const bindInsideJSDoc = (child: ts.Node): undefined => {
    if (child.parent === parent) return undefined;
    (child as { parent: ts.Node }).parent = parent;
    const saved = parent;
    parent = child;
    forEachChild(child, bindInsideJSDoc);
    parent = saved;
    return undefined;
  };
  const bind = (child: ts.Node): undefined => {
    if (child.parent === parent) return undefined;
    (child as { parent: ts.Node }).parent = parent;
    const saved = parent;
    const docs = (child as { jsDoc?: readonly ts.Node[] }).jsDoc;
    if (docs) {
      for (const doc of docs) {
        (doc as { parent: ts.Node }).parent = child;
        parent = doc;
        forEachChild(doc, bindInsideJSDoc);
      }
    }
    parent = child;
    forEachChild(child, bind);
    parent = saved;
    return undefined;
  };
  forEachChild(sourceFile, bind);
  return sourceFile;
}

/** The edit plan of a file's text: what every host applies. */
export function planForText(code: string, fileName: string, options: TransformOptions = {}): EditPlan {
  const resolved = resolveOptions(options);
  // Fast path: a file that names neither entry point is never parsed.
  if (!DURABLE_MARKER.test(code)) return { fileName, ids: [], edits: [], diagnostics: [] };
  return planTransform(parseForTransform(code, fileName), resolved);
}

/**
 * Gives every unnamed durable operation its stable ID and rewrites (or reports) the
 * non-deterministic calls in orchestration code. Files without durable handlers come out
 * byte-identical.
 */
export function transform(code: string, fileName: string, options: TransformOptions = {}): TransformResult {
  const resolved = resolveOptions(options);
  const plan = planForText(code, fileName, resolved);
  const { code: output, map } = applyPlanToText(code, plan, fileName, resolved.sourceMap);
  return { code: output, map, ids: plan.ids, diagnostics: plan.diagnostics };
}
