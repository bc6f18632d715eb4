import { ESLintUtils } from "@typescript-eslint/utils";

export interface ReplayableRuleDocs {
  description: string;
  /** Which shipped config enables the rule. */
  recommended: "recommended" | "recommended-type-checked" | "strict";
  requiresTypeChecking: boolean;
}

/** Where each rule's page lives; meta.docs.url points here. */
export const DOCS_BASE_URL = "https://github.com/replayable-dev/replayable/blob/main/docs/rules";

export const createRule = ESLintUtils.RuleCreator<ReplayableRuleDocs>((name) => `${DOCS_BASE_URL}/${name}.md`);
