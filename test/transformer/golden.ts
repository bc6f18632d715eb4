import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatDiagnostic, transform, type TransformOptions, type TransformResult } from "../../transformer/index.js";

export const GOLDEN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/transform");

export interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  readonly input: string;
  readonly output: string;
  readonly ids: string;
  readonly diagnostics: string;
  readonly options: TransformOptions;
}

export function goldenCases(): GoldenCase[] {
  return fs
    .readdirSync(GOLDEN_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = path.join(GOLDEN_ROOT, name);
      const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
      const optionsFile = path.join(dir, "options.json");
      return {
        name,
        dir,
        input: read("input.ts"),
        output: read("output.ts"),
        ids: read("ids.json"),
        diagnostics: read("diagnostics.txt"),
        options: fs.existsSync(optionsFile) ? (JSON.parse(fs.readFileSync(optionsFile, "utf8")) as TransformOptions) : {},
      };
    });
}

/** The golden rendering of a transform result: ids.json and diagnostics.txt as committed. */
export function renderIds(result: Pick<TransformResult, "ids">): string {
  return `${JSON.stringify(result.ids, null, 2)}\n`;
}

export function renderDiagnostics(result: Pick<TransformResult, "diagnostics">): string {
  return result.diagnostics.map((diagnostic) => `${formatDiagnostic(diagnostic)}\n`).join("");
}

export function runCase(testCase: Pick<GoldenCase, "input" | "options">, fileName = "input.ts"): TransformResult {
  return transform(testCase.input, fileName, testCase.options);
}
