import type ts from "typescript";
import typescript from "../analysis/typescript.js";
import { applyPlanToText, type SourceMapV3 } from "./apply-text.js";
import { resolveOptions, type TransformOptions } from "./options.js";
import { planTransform, type EditPlan, type OperationIdEntry, type TransformDiagnostic } from "./plan.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { ScriptKind, ScriptTarget, createSourceFile } = typescript;

export interface TransformResult {
  /** The transformed code; the input itself, byte for byte, when the file has no durable handler. */
  readonly code: string;
  /** Source map from the transformed code to the input; undefined when nothing changed. */
  readonly map: SourceMapV3 | undefined;
  readonly ids: readonly OperationIdEntry[];
  readonly diagnostics: readonly TransformDiagnostic[];
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName)) return ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ScriptKind.JSX;
  return ScriptKind.JS;
}

/** Parses a file as the transformer sees it (parse-only, parent pointers set). */
export function parseForTransform(code: string, fileName: string): ts.SourceFile {
  return createSourceFile(fileName, code, ScriptTarget.Latest, true, scriptKindOf(fileName));
}

/** The edit plan of a file's text: what every host applies. */
export function planForText(code: string, fileName: string, options: TransformOptions = {}): EditPlan {
  const resolved = resolveOptions(options);
  // Fast path: a file that names neither entry point is never parsed.
  if (!/withDurableExecution|DurableContext/.test(code)) return { fileName, ids: [], edits: [], diagnostics: [] };
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
