/**
 * AWS's ESLint plugin's RuleTester cases (../shared/real-world/aws-eslint-plugin, read in place,
 * never copied), run against replayable's matching rules: every invalid case must be reported by
 * a matching rule, every valid case must be clean under `recommended`. The cases are taken from
 * the test files' syntax tree (their `valid` and `invalid` arrays of `{ code }` objects).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Linter } from "eslint";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import plugin from "../../../eslint-plugin/index.js";

const PLUGIN = path.resolve(import.meta.dirname, "../../../../shared/real-world/aws-eslint-plugin/src/rules");

/** AWS's rule -> replayable's rules that report the same hazards. */
const MATCHING: Record<string, readonly string[]> = {
  "no-non-deterministic-outside-step": ["no-nondeterminism-outside-step", "no-io-outside-step", "no-env-outside-step", "no-timers", "no-invocation-context-read"],
  "no-closure-in-durable-operations": ["no-captured-mutation-in-step"],
  "no-nested-durable-operations": ["no-nested-durable-operation", "no-outer-context-in-child"],
};

interface Case {
  readonly rule: string;
  readonly kind: "valid" | "invalid";
  readonly code: string;
  readonly line: number;
}

function casesOf(rule: string): Case[] {
  const file = path.join(PLUGIN, rule, `${rule}.integ.test.ts`);
  if (!existsSync(file)) return [];
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const cases: Case[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && (node.name.text === "valid" || node.name.text === "invalid") && ts.isArrayLiteralExpression(node.initializer)) {
      for (const element of node.initializer.elements) {
        const code = ts.isObjectLiteralExpression(element)
          ? element.properties.find((property): property is ts.PropertyAssignment => ts.isPropertyAssignment(property) && property.name.getText() === "code")?.initializer
          : element;
        if (code && ts.isNoSubstitutionTemplateLiteral(code) || (code && ts.isStringLiteral(code))) {
          cases.push({ rule, kind: node.name.text, code: code.text, line: source.getLineAndCharacterOfPosition(element.getStart()).line + 1 });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return cases;
}

const cases = Object.keys(MATCHING).flatMap(casesOf);
const linter = new Linter();

function lint(code: string): Linter.LintMessage[] {
  return linter.verify(code, [plugin.configs.recommended as unknown as Linter.Config], "case.ts");
}

describe("AWS's plugin RuleTester cases", () => {
  it("are found in the folder", () => {
    expect(existsSync(PLUGIN), `${PLUGIN} is missing (see ../shared/real-world/README.md)`).toBe(true);
    expect(cases.filter((testCase) => testCase.kind === "invalid").length).toBeGreaterThanOrEqual(20);
  });

  it("every invalid case is reported by a matching rule", () => {
    const missed = cases
      .filter((testCase) => testCase.kind === "invalid")
      .filter((testCase) => !lint(testCase.code).some((message) => MATCHING[testCase.rule]!.includes(message.ruleId?.replace("replayable/", "") ?? "")))
      .map((testCase) => `${testCase.rule} test line ${testCase.line}`);
    expect(missed).toEqual([]);
  });

  it("every valid case is clean under recommended", () => {
    const reported = cases
      .filter((testCase) => testCase.kind === "valid")
      .flatMap((testCase) => lint(testCase.code).map((message) => `${testCase.rule} test line ${testCase.line}: ${message.ruleId} ${message.message}`));
    expect(reported).toEqual([]);
  });
});
