/**
 * The linter and the transformer never disagree: over every golden input and every file of
 * the lint corpus, each `no-nondeterminism-outside-step` report of the real ESLint rule is
 * either rewritten or reported by the transformer (a report where an alias is taken,
 * `const draw = Math.random`, through the call it names), every other hazard rule's report is
 * reported by it, and the transformer touches nothing else (its rewrites sit exactly on
 * linter findings, its names on durable calls, and all other text is unchanged).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile } from "../../analysis/index.js";
import plugin from "../../eslint-plugin/index.js";
import { parseForTransform, planForText, transform } from "../../transformer/index.js";
import { goldenCases } from "./golden.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CORPUS = path.join(ROOT, "fixtures/lint");

interface Sample {
  readonly name: string;
  readonly fileName: string;
  readonly code: string;
}

const samples: Sample[] = [
  ...goldenCases().map((testCase) => ({ name: `transform/${testCase.name}`, fileName: path.join(testCase.dir, "input.ts"), code: testCase.input })),
  ...readdirSync(CORPUS)
    .filter((file) => /\.(?:[cm]?[jt]s)$/.test(file))
    .sort()
    .map((file) => ({ name: `lint/${file}`, fileName: path.join(CORPUS, file), code: readFileSync(path.join(CORPUS, file), "utf8") })),
];

/** Transformer diagnostic category -> the linter rule that reports the same sites. */
const RULE_OF_CATEGORY: Record<string, string> = {
  random: "no-nondeterminism-outside-step",
  clock: "no-nondeterminism-outside-step",
  gc: "no-nondeterminism-outside-step",
  io: "no-io-outside-step",
  env: "no-env-outside-step",
  timer: "no-timers",
  invocation: "no-invocation-context-read",
};
const COMPARED_RULES = new Set(Object.values(RULE_OF_CATEGORY));

const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: [plugin.configs.strict as unknown as Linter.Config] });

function offsetOf(code: string, line: number, column: number): number {
  const sourceFile = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest);
  return sourceFile.getPositionOfLineAndCharacter(line - 1, column - 1);
}

describe("linter and transformer agree", () => {
  it("covers the golden inputs and the lint corpus", () => {
    expect(samples.length).toBeGreaterThanOrEqual(70);
    const plans = samples.map((sample) => planForText(sample.code, sample.fileName));
    const rewrites = plans.flatMap((plan) => plan.edits.filter((edit) => edit.kind === "rewrite"));
    const reported = plans.flatMap((plan) => plan.diagnostics);
    expect(rewrites.length).toBeGreaterThanOrEqual(40);
    expect(reported.length).toBeGreaterThanOrEqual(40);
  });

  it.each(samples)("$name", async (sample) => {
    const [result] = await eslint.lintText(sample.code, { filePath: sample.fileName });
    const reports = result!.messages
      .filter((message) => message.ruleId?.startsWith("replayable/") && COMPARED_RULES.has(message.ruleId.slice("replayable/".length)))
      .map((message) => {
        // "Math.random (taken as draw, called at line 12)": the linter's report where the alias is taken stands for that call.
        const aliasCall = /\(taken as [\w$]+, called at line (\d+)\)/.exec(message.message);
        const line = aliasCall ? Number(aliasCall[1]) : message.line;
        const column = aliasCall ? result!.messages.find((other) => other.line === line && other.ruleId === message.ruleId)!.column : message.column;
        return { rule: message.ruleId!.slice("replayable/".length), start: offsetOf(sample.code, line, column) };
      });
    expect(result!.messages.filter((message) => message.fatal)).toEqual([]);

    const plan = planForText(sample.code, sample.fileName);
    const rewrites = plan.edits.filter((edit) => edit.kind === "rewrite");
    const nondeterminism = reports.filter((report) => report.rule === "no-nondeterminism-outside-step");

    // Every nondeterminism report is rewritten or reported; every other hazard report is reported.
    for (const report of reports) {
      const rewritten = rewrites.some((edit) => edit.start <= report.start && report.start < edit.end);
      const reported = plan.diagnostics.some((diagnostic) => diagnostic.start === report.start && RULE_OF_CATEGORY[diagnostic.category] === report.rule);
      if (report.rule === "no-nondeterminism-outside-step") expect(rewritten || reported, `${report.rule} at ${report.start}`).toBe(true);
      else expect(reported, `${report.rule} at ${report.start} is reported`).toBe(true);
    }
    // The transformer reports nothing the linter does not.
    for (const diagnostic of plan.diagnostics) {
      if (diagnostic.category === "name") continue;
      expect(reports.some((report) => report.start === diagnostic.start && report.rule === RULE_OF_CATEGORY[diagnostic.category]), diagnostic.message).toBe(true);
    }
    // Each rewrite sits on a nondeterminism report; each name on a durable call of the analysis.
    for (const edit of rewrites) {
      expect(nondeterminism.some((report) => edit.start <= report.start && report.start < edit.end), `rewrite at ${edit.start}`).toBe(true);
    }
    const operations = analyzeSourceFile(parseForTransform(sample.code, sample.fileName)).operations;
    const operationStarts = new Set([...operations.keys()].map((call) => call.pos));
    for (const edit of plan.edits) {
      if (edit.kind === "insert-name" || edit.kind === "replace-name") expect(operationStarts.has(edit.call.pos)).toBe(true);
    }
    // Outside the planned edits, the output is the input.
    const { code } = transform(sample.code, sample.fileName);
    let restored = "";
    let inputAt = 0;
    let outputAt = 0;
    for (const edit of plan.edits) {
      restored += sample.code.slice(inputAt, edit.start);
      outputAt += edit.start - inputAt;
      expect(code.slice(outputAt, outputAt + edit.text.length)).toBe(edit.text);
      outputAt += edit.text.length;
      restored += sample.code.slice(edit.start, edit.end);
      inputAt = edit.end;
    }
    restored += sample.code.slice(inputAt);
    expect(code.slice(outputAt)).toBe(sample.code.slice(inputAt));
    expect(restored).toBe(sample.code);
  });
});
