import { readFileSync } from "node:fs";
import type ts from "typescript";
import { analyzeSourceFile, scriptKindOf, type Finding } from "../analysis/index.js";
import typescript from "../analysis/typescript.js";

const { ScriptTarget, createSourceFile, forEachChild, isCallExpression, isIdentifier, isNumericLiteral, isPropertyAccessExpression, isElementAccessExpression, isStringLiteralLike, isNoSubstitutionTemplateLiteral, isNonNullExpression, isParenthesizedExpression, isAsExpression } = typescript;

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A `context.invoke` target doctor can follow: a literal, or an environment variable the template sets. */
export type InvokeTarget = { readonly kind: "literal"; readonly text: string } | { readonly kind: "env"; readonly name: string };

/** What the shared analysis says about one source file, as doctor needs it. */
export interface CodeFacts {
  readonly file: string;
  /** The exported names of the durable handlers. */
  readonly durableExports: ReadonlySet<string>;
  /** The file names withDurableExecution or DurableContext (with no handler found, it may re-export one). */
  readonly mentionsDurable: boolean;
  readonly invokes: readonly (SourcePosition & { readonly target: InvokeTarget })[];
  /** The analysis's own check of invoke targets (unqualified or $LATEST literals). */
  readonly invokeTargetFindings: readonly (SourcePosition & { readonly finding: Finding })[];
  /** The step whose literal `setTimeout` delays add up to the most, if any. */
  readonly longestStep: (SourcePosition & { readonly milliseconds: number }) | undefined;
}

/** Per doctor run: several functions of a template often share one file. */
export function codeFactsOf(file: string, cache: Map<string, CodeFacts>): CodeFacts {
  let facts = cache.get(file);
  if (!facts) {
    facts = analyze(file, readFileSync(file, "utf8"));
    cache.set(file, facts);
  }
  return facts;
}

function analyze(file: string, text: string): CodeFacts {
  const source = createSourceFile(file, text, ScriptTarget.Latest, true, scriptKindOf(file));
  const analysis = analyzeSourceFile(source);
  const at = (node: ts.Node): SourcePosition => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    return { file, line: line + 1, column: character + 1 };
  };
  const invokes: (SourcePosition & { target: InvokeTarget })[] = [];
  for (const [call, operation] of analysis.operations) {
    if (operation !== "invoke") continue;
    const target = invokeTargetOf(call);
    if (target) invokes.push({ ...at(call), target });
  }
  let longestStep: CodeFacts["longestStep"];
  for (const step of analysis.stepFunctions) {
    const milliseconds = literalDelays(step);
    if (milliseconds > 0 && (!longestStep || milliseconds > longestStep.milliseconds)) longestStep = { ...at(step), milliseconds };
  }
  return {
    file,
    durableExports: new Set(analysis.handlers.map((handler) => handler.name)),
    mentionsDurable: /withDurableExecution|DurableContext/.test(text),
    invokes,
    invokeTargetFindings: analysis.findings.filter((finding) => finding.rule === "qualified-invoke-target").map((finding) => ({ ...at(finding.node), finding })),
    longestStep,
  };
}

/** AWS's rule: when the second argument is a string, the first is the operation's name. */
function invokeTargetOf(call: ts.CallExpression): InvokeTarget | undefined {
  const [first, second] = call.arguments;
  const secondTarget = second ? targetOf(second) : undefined;
  return secondTarget ?? (first ? targetOf(first) : undefined);
}

function targetOf(written: ts.Expression): InvokeTarget | undefined {
  let node = written;
  while (isNonNullExpression(node) || isParenthesizedExpression(node) || isAsExpression(node)) node = node.expression;
  if (isStringLiteralLike(node) || isNoSubstitutionTemplateLiteral(node)) return { kind: "literal", text: node.text };
  // process.env.NAME or process.env["NAME"]
  const receiver = isPropertyAccessExpression(node) || isElementAccessExpression(node) ? node.expression : undefined;
  if (!receiver || !isPropertyAccessExpression(receiver) || receiver.name.text !== "env" || !isIdentifier(receiver.expression) || receiver.expression.text !== "process") return undefined;
  if (isPropertyAccessExpression(node)) return { kind: "env", name: node.name.text };
  const argument = (node as ts.ElementAccessExpression).argumentExpression;
  return isStringLiteralLike(argument) ? { kind: "env", name: argument.text } : undefined;
}

/** The sum of `setTimeout(fn, <number>)` delays written inside a step: a lower bound of how long it runs. */
function literalDelays(step: ts.Node): number {
  let total = 0;
  const visit = (node: ts.Node): void => {
    if (isCallExpression(node) && isIdentifier(node.expression) && node.expression.text === "setTimeout") {
      const delay = node.arguments[1];
      if (delay && isNumericLiteral(delay)) total += Number(delay.text.replace(/_/g, ""));
    }
    forEachChild(node, visit);
  };
  visit(step);
  return total;
}
