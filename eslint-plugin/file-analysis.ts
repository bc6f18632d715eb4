import type { TSESLint } from "@typescript-eslint/utils";
import type ts from "typescript";
import { analyzeSourceFile, scriptKindOf, type FileAnalysis } from "../analysis/index.js";
import typescript from "../analysis/typescript.js";

// Loaded with require (see analysis/typescript.ts) and bound once instead of through the module's getters.
const { ScriptTarget, SyntaxKind, createSourceFile } = typescript;

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
  const analysis = analyzeSourceFile(sourceFile, { program: services?.program ?? undefined });
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
  if (mapped && mapped.kind === SyntaxKind.SourceFile) return mapped as ts.SourceFile;
  return createSourceFile(filename, sourceCode.text, ScriptTarget.Latest, true, scriptKindOf(filename));
}

