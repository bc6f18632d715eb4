import type { TSESLint } from "@typescript-eslint/utils";
import ts from "typescript";
import { analyzeSourceFile, type FileAnalysis } from "../analysis/index.js";

/** One analysis per linted file, shared by every rule that runs on it. */
const cache = new WeakMap<object, FileAnalysis>();

interface TypeScriptParserServices {
  esTreeNodeToTSNodeMap?: { get(node: unknown): ts.Node | undefined };
  program?: ts.Program | null;
}

export function fileAnalysisFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): FileAnalysis {
  const sourceCode = context.sourceCode;
  const cached = cache.get(sourceCode.ast);
  if (cached) return cached;
  const services = sourceCode.parserServices as TypeScriptParserServices | undefined;
  const sourceFile = sourceFileFrom(services, sourceCode, context.filename);
  const checker = services?.program ? services.program.getTypeChecker() : undefined;
  const analysis = analyzeSourceFile(sourceFile, { checker });
  cache.set(sourceCode.ast, analysis);
  return analysis;
}

/**
 * typescript-eslint's parser already built the TypeScript AST: reuse it. With any other
 * parser (espree for .js files), parse the text once here.
 */
function sourceFileFrom(
  services: TypeScriptParserServices | undefined,
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
): ts.SourceFile {
  const mapped = services?.esTreeNodeToTSNodeMap?.get(sourceCode.ast);
  if (mapped && mapped.kind === ts.SyntaxKind.SourceFile) return mapped as ts.SourceFile;
  return ts.createSourceFile(filename, sourceCode.text, ts.ScriptTarget.Latest, true, scriptKindOf(filename));
}

function scriptKindOf(filename: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(filename)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(filename)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(filename)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}
