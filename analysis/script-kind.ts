import type ts from "typescript";
import typescript from "./typescript.js";

const { ScriptKind } = typescript;

/** How a file is parsed, by its name: TSX, TS (also .mts/.cts), JSX, else JS. */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName)) return ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ScriptKind.JSX;
  return ScriptKind.JS;
}
