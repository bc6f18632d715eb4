import type { TSESLint } from "@typescript-eslint/utils";
import { describeChain, type Finding, type RuleName, type SuggestionKind } from "../analysis/index.js";
import { createRule, type ReplayableRuleDocs } from "./create-rule.js";
import { fileAnalysisFor } from "./file-analysis.js";

/** Suggestion messages shared by every rule; the analysis decides which apply. */
const SUGGESTION_MESSAGES: Record<SuggestionKind, string> = {
  wrapInStep: 'Record the value in a step: await {{context}}.step("{{name}}", async () => ...)',
  useContextHelper: "Use {{replacement}}, which returns the same value on every replay",
  useContextWait: "Replace the timer with {{replacement}}",
  useContextLogger: "Log with {{replacement}}, which is silent while replaying",
  awaitOperation: "Await the operation",
  useDurableCombinator: "Use {{replacement}}, which records the combination",
  useChildContext: "Use the child's own context, {{replacement}}",
};

export interface FindingRuleDefinition {
  readonly name: RuleName;
  readonly description: string;
  readonly recommended: ReplayableRuleDocs["recommended"];
  /** Message template; {{source}}, {{where}}, {{problem}} and {{fix}} come from the analysis. */
  readonly message: string;
  readonly hasSuggestions: boolean;
  readonly requiresTypeChecking?: boolean;
  /** Boolean options, each off by default, and which findings they keep (all, without options). */
  readonly options?: {
    readonly names: readonly string[];
    readonly keep: (finding: Finding, options: Readonly<Record<string, boolean>>) => boolean;
  };
}

type MessageId = "found" | SuggestionKind;
type Options = [Record<string, boolean>?];

/**
 * A rule that reports the shared analysis' findings of one kind. The rule says what is
 * reported; the analysis says where and why.
 */
export function createFindingRule(definition: FindingRuleDefinition) {
  const optionNames = definition.options?.names ?? [];
  return createRule<Options, MessageId>({
    name: definition.name,
    meta: {
      type: "problem",
      docs: {
        description: definition.description,
        recommended: definition.recommended,
        requiresTypeChecking: definition.requiresTypeChecking ?? false,
      },
      messages: { found: definition.message, ...SUGGESTION_MESSAGES },
      schema:
        optionNames.length === 0
          ? []
          : [{ type: "object", properties: Object.fromEntries(optionNames.map((name) => [name, { type: "boolean" }])), additionalProperties: false }],
      ...(definition.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    defaultOptions: [{}],
    create(context, [options = {}]) {
      const keep = definition.options?.keep;
      return {
        Program() {
          for (const finding of fileAnalysisFor(context).findings) {
            if (finding.rule !== definition.name || (keep && !keep(finding, options))) continue;
            report(context, finding, definition.hasSuggestions);
          }
        },
      };
    },
  });
}

function report(context: Readonly<TSESLint.RuleContext<MessageId, Options>>, finding: Finding, withSuggestions: boolean): void {
  const sourceCode = context.sourceCode;
  context.report({
    loc: { start: sourceCode.getLocFromIndex(finding.start), end: sourceCode.getLocFromIndex(finding.end) },
    messageId: "found",
    data: { source: finding.source, where: describeChain(finding.chain, finding.origin, finding.otherCalls, context.cwd), problem: finding.problem, fix: finding.fix },
    suggest: withSuggestions
      ? finding.suggestions.map((suggestion) => ({
          messageId: suggestion.kind,
          data: suggestion.data,
          fix: (fixer: TSESLint.RuleFixer) =>
            suggestion.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text)),
        }))
      : null,
  });
}
