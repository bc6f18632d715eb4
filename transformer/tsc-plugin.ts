import type ts from "typescript";
import { applyPlanToAst } from "./apply-ast.js";
import type { TransformOptions } from "./options.js";
import type { TransformDiagnostic } from "./plan.js";
import ts_ from "../analysis/typescript.js";
import { resolveOptions } from "./options.js";
import { planTransform, type EditPlan } from "./plan.js";
import { planForText } from "./transform.js";

/** What ts-patch passes as the third argument of a program transformer factory. */
export interface TransformerExtras {
  readonly ts: typeof ts;
  readonly addDiagnostic: (diagnostic: ts.Diagnostic) => number;
}

/** Which files a plugin entry transforms: regular expressions (as strings) over the file path, with "/" separators. */
export interface TscPluginFilter {
  readonly include?: string;
  readonly exclude?: string;
}

/** Diagnostic code of every transformer diagnostic, so users can filter them. */
export const REPLAYABLE_DIAGNOSTIC_CODE = 91001;

/**
 * The ts-patch entry point: `"plugins": [{ "transform": "replayable/transformer" }]`, with
 * TransformOptions as further keys of the entry. The plan is made from each file's text with
 * the same function every other host calls, then applied to tsc's AST.
 */
export default function replayableTransformer(
  program: ts.Program | undefined,
  config: TransformOptions & TscPluginFilter & { readonly transform?: string } = {},
  extras?: Partial<TransformerExtras>,
): ts.TransformerFactory<ts.SourceFile> {
  const tsi = extras?.ts ?? (globalThis as { __replayableTypeScript?: typeof ts }).__replayableTypeScript;
  if (!tsi) throw new Error("replayable/transformer: the TypeScript instance was not provided; run tsc through ts-patch (tspc)");
  const options: TransformOptions = pickOptions(config);
  const include = config.include === undefined ? undefined : new RegExp(config.include);
  const exclude = config.exclude === undefined ? undefined : new RegExp(config.exclude);
  return (context) => (sourceFile) => {
    if (sourceFile.isDeclarationFile) return sourceFile;
    const file = sourceFile.fileName.replace(/\\/g, "/");
    if ((include && !include.test(file)) || (exclude && exclude.test(file))) return sourceFile;
    const plan = planFor(tsi, sourceFile, options);
    for (const diagnostic of plan.diagnostics) extras?.addDiagnostic?.(toTsDiagnostic(tsi, sourceFile, diagnostic));
    return applyPlanToAst(tsi, sourceFile, plan, context);
  };
}

function pickOptions(config: TransformOptions): TransformOptions {
  const { random, clock, names, severity } = config;
  return {
    ...(random !== undefined ? { random } : {}),
    ...(clock !== undefined ? { clock } : {}),
    ...(names !== undefined ? { names } : {}),
    ...(severity !== undefined ? { severity } : {}),
  };
}

function toTsDiagnostic(tsi: typeof ts, file: ts.SourceFile, diagnostic: TransformDiagnostic): ts.Diagnostic {
  return {
    file,
    start: diagnostic.start,
    length: diagnostic.end - diagnostic.start,
    messageText: diagnostic.message,
    category: diagnostic.severity === "error" ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    code: REPLAYABLE_DIAGNOSTIC_CODE,
    source: "replayable",
  };
}

/**
 * The compiler's own SourceFile is analysed directly when it comes from the same TypeScript
 * version as the analysis (same syntax kinds) and has parent pointers; otherwise the text is
 * parsed again. Both give the same plan: it depends only on the text.
 */
function planFor(tsi: typeof ts, sourceFile: ts.SourceFile, options: TransformOptions): EditPlan {
  const compatible = tsi.version === ts_.version && sourceFile.statements.every((statement) => statement.parent === sourceFile);
  return compatible ? planTransform(sourceFile, resolveOptions(options)) : planForText(sourceFile.text, sourceFile.fileName, options);
}
