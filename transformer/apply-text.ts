import MagicString from "magic-string";
import type { EditPlan } from "./plan.js";

export interface TextResult {
  readonly code: string;
  /** A v3 source map of the edits (exact: unchanged text maps to itself character by character). */
  readonly map: SourceMapV3 | undefined;
}

export interface SourceMapV3 {
  readonly version: number;
  readonly file?: string;
  readonly sources: string[];
  readonly sourcesContent?: (string | null)[];
  readonly names: string[];
  readonly mappings: string;
}

/** Applies an edit plan to the text it was made from, with magic-string. */
export function applyPlanToText(code: string, plan: EditPlan, fileName: string, sourceMap: boolean): TextResult {
  if (plan.edits.length === 0) return { code, map: undefined };
  const text = new MagicString(code);
  for (const edit of plan.edits) {
    if (edit.start === edit.end) {
      if (edit.text) text.appendLeft(edit.start, edit.text);
    } else {
      text.overwrite(edit.start, edit.end, edit.text);
    }
  }
  const map = sourceMap
    ? (JSON.parse(text.generateMap({ source: fileName, file: fileName, includeContent: true, hires: "boundary" }).toString()) as SourceMapV3)
    : undefined;
  return { code: text.toString(), map };
}
