import MagicString from "magic-string";
import type { TextEdit } from "../analysis/index.js";
import { MappingsWriter } from "./mappings-writer.js";
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

/**
 * Applies an edit plan to the text it was made from. The output and its source map are those
 * magic-string gives for the same edits (`appendLeft` for insertions, `overwrite` for
 * replacements, a map with `hires: "boundary"` and the content included), built in one pass
 * over the text; edit lists outside what a plan produces go through magic-string itself.
 */
export function applyPlanToText(code: string, plan: EditPlan, fileName: string, sourceMap: boolean): TextResult {
  if (plan.edits.length === 0) return { code, map: undefined };
  if (!isOrderedAndDisjoint(plan.edits, code.length)) return applyWithMagicString(code, plan.edits, fileName, sourceMap);
  return applyInOnePass(code, plan.edits, fileName, sourceMap);
}

/** Sorted by start, no edit inside a replaced range, all within the text: the shape of a plan's edits. */
function isOrderedAndDisjoint(edits: readonly TextEdit[], length: number): boolean {
  let covered = 0;
  for (const edit of edits) {
    if (!(edit.start >= covered && edit.end >= edit.start && edit.end <= length)) return false;
    if (edit.end > edit.start) covered = edit.end;
    else covered = edit.start;
  }
  return true;
}

/** The reference implementation: what applyInOnePass must produce, byte for byte. */
export function applyWithMagicString(code: string, edits: readonly TextEdit[], fileName: string, sourceMap: boolean): TextResult {
  const text = new MagicString(code);
  for (const edit of edits) {
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

function applyInOnePass(code: string, edits: readonly TextEdit[], fileName: string, sourceMap: boolean): TextResult {
  let output = "";
  let at = 0;
  for (const edit of edits) {
    output += code.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  output += code.slice(at);
  if (!sourceMap) return { code: output, map: undefined };
  const mappings = new MappingsWriter();
  let position = 0;
  for (const edit of edits) {
    // An empty insertion is no edit at all (magic-string is not even called for it).
    if (edit.start === edit.end && !edit.text) continue;
    // Every edit boundary splits the text (magic-string's chunks): a new chunk starts a new boundary run.
    if (edit.start > position) mappings.unedited(code, position, edit.start);
    if (edit.end > edit.start) {
      mappings.replaced(code, edit.start, edit.end, edit.text);
      position = edit.end;
    } else {
      mappings.inserted(edit.text);
      position = edit.start;
    }
  }
  if (position < code.length) mappings.unedited(code, position, code.length);
  const file = fileName ? fileName.split(/[/\\]/).pop() : undefined;
  const map = {
    version: 3,
    ...(file === undefined ? {} : { file }),
    // magic-string's path of the file relative to itself: its base name.
    sources: [file ?? ""],
    sourcesContent: [code],
    names: [],
    mappings: mappings.toString(),
  };
  return { code: output, map };
}
