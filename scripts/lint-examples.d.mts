// Types for lint-examples.mjs, so test/demo.test.ts type-checks under `npm test`.
import type { ESLint } from "eslint";

export declare const REPO_ROOT: string;
export declare const EXAMPLES_DIR: string;

/** The subset of the replayable plugin the demo needs: its flat configs. */
export interface PluginWithConfigs {
  readonly configs: { readonly recommended: unknown };
}

export declare function lintExamples(options: { plugin: PluginWithConfigs; directory?: string }): Promise<ESLint.LintResult[]>;
export declare function expectedFindings(text: string): string[];
export declare function actualFindings(result: ESLint.LintResult): string[];
export declare function summarize(results: readonly ESLint.LintResult[]): {
  files: number;
  filesWithFindings: number;
  errors: number;
  warnings: number;
  perRule: Map<string, number>;
};
export declare function formatResults(
  results: readonly ESLint.LintResult[],
  options?: { color?: boolean; width?: number; cwd?: string },
): string;
