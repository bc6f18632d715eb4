import type ts from "typescript";
import { DURABLE_MARKER } from "./durable-marker.js";
import type { CallLink, Finding } from "./finding.js";

/** A file's own analysis, computed once per program (analyze-file.ts passes it in). */
type OwnAnalysis = (sourceFile: ts.SourceFile) => { readonly reachedElsewhere: readonly Finding[] };

/** Per program, the hazards in each file's helpers that handlers of other files reach, by file name. */
const indexes = new WeakMap<ts.Program, Map<string, Finding[]>>();

/**
 * The hazards in this file's functions that orchestration code of other files reaches and that
 * are fixed here: each site once, with one chain of callers and how many other calls lead to it.
 * ESLint lints the helper's file on its own, so the program's handler files are analysed (once
 * per program) to know what reaches it.
 */
export function helperFindingsIn(sourceFile: ts.SourceFile, program: ts.Program, analyze: OwnAnalysis): readonly Finding[] {
  let index = indexes.get(program);
  if (!index) indexes.set(program, (index = buildIndex(program, analyze)));
  return index.get(sourceFile.fileName) ?? [];
}

function buildIndex(program: ts.Program, analyze: OwnAnalysis): Map<string, Finding[]> {
  const bySite = new Map<string, Map<string, Finding>>();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName) || !DURABLE_MARKER.test(file.text)) continue;
    for (const finding of analyze(file).reachedElsewhere) {
      const site = `${finding.node.getSourceFile().fileName}\0${finding.rule}\0${finding.start}`;
      const chains = bySite.get(site) ?? new Map<string, Finding>();
      chains.set(chainKey(finding.chain), finding);
      bySite.set(site, chains);
    }
  }
  const index = new Map<string, Finding[]>();
  for (const [site, chains] of bySite) {
    // The first chain in file order names the callers; the count says how many other paths lead here.
    const [first] = [...chains.keys()].sort();
    const finding = { ...chains.get(first!)!, otherCalls: chains.size - 1 };
    const fileName = site.slice(0, site.indexOf("\0"));
    index.set(fileName, [...(index.get(fileName) ?? []), finding]);
  }
  return index;
}

/** A chain by its calls, files by their full names: two calls from same-named files are two chains. */
function chainKey(chain: readonly CallLink[]): string {
  return chain.map((link) => `${link.file}:${String(link.line).padStart(9, "0")} ${link.caller}`).join("\n");
}
