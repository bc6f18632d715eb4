import type { TSESLint } from "@typescript-eslint/utils";
import parser from "@typescript-eslint/parser";
import type { ReplayableRuleName } from "./rules/index.js";

type Severity = "error" | "warn";

const FILES = ["**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"];

/** Rules that need no type information, with the severity `recommended` gives them. */
const RECOMMENDED: Record<Exclude<ReplayableRuleName, TypeCheckedRuleName | StrictOnlyRuleName>, Severity> = {
  "no-nondeterminism-outside-step": "error",
  "no-io-outside-step": "error",
  "no-env-outside-step": "error",
  "no-timers": "error",
  "no-invocation-context-read": "error",
  "replay-aware-logging": "warn",
  "qualified-invoke-target": "error",
  "no-floating-durable-operation": "error",
  "no-native-promise-combinator": "error",
  "no-nested-durable-operation": "error",
  "no-outer-context-in-child": "error",
  "no-captured-mutation-in-step": "error",
  "no-module-state": "error",
  "deterministic-step-names": "error",
};

/**
 * Rules about style rather than replay: what they report behaves the same on every replay on
 * the AWS SDK and on replayable (test/eslint-plugin/replay-evidence.test.ts), so only `strict` has them.
 */
type StrictOnlyRuleName = "no-swallowed-suspension";
const STRICT_ONLY: readonly StrictOnlyRuleName[] = ["no-swallowed-suspension"];

type TypeCheckedRuleName = "serializable-step-result";

/** Rules that need type information; `recommended-type-checked` adds them. */
const TYPE_CHECKED: Record<TypeCheckedRuleName, Severity> = {
  "serializable-step-result": "error",
};

function prefixed(rules: Record<string, Severity>): Record<string, Severity> {
  return Object.fromEntries(Object.entries(rules).map(([name, severity]) => [`replayable/${name}`, severity]));
}

export function createConfigs(plugin: TSESLint.FlatConfig.Plugin) {
  const base = {
    files: FILES,
    plugins: { replayable: plugin },
    languageOptions: { parser: parser as TSESLint.FlatConfig.Parser, sourceType: "module" as const },
  };
  return {
    recommended: { name: "replayable/recommended", ...base, rules: prefixed(RECOMMENDED) },
    /** Adds the rules that need type information, with typescript-eslint's project service. */
    "recommended-type-checked": {
      name: "replayable/recommended-type-checked",
      ...base,
      languageOptions: { ...base.languageOptions, parserOptions: { projectService: true } },
      rules: prefixed({ ...RECOMMENDED, ...TYPE_CHECKED }),
    },
    /** Every rule that needs no types, as an error, with the style rules `recommended` leaves out. */
    strict: {
      name: "replayable/strict",
      ...base,
      rules: prefixed(Object.fromEntries([...Object.keys(RECOMMENDED), ...STRICT_ONLY].map((name) => [name, "error" as const]))),
    },
  } satisfies Record<string, TSESLint.FlatConfig.Config>;
}
