/**
 * AWS's ESLint plugin's tests (../shared/real-world/aws-eslint-plugin, read in place, never
 * copied), run against replayable's matching rules. AWS's own rules are loaded from that folder
 * and lint every case too, so "at its line" means where AWS's rule reports:
 * - the RuleTester cases of the *.integ.test.ts files, taken from their syntax tree;
 * - the scenarios of the unit tests (*.test.ts), which build syntax trees by hand, written as
 *   code in aws-unit-scenarios.ts.
 * Every invalid case must be reported by a matching rule at each line AWS's rule reports; every
 * valid case must be clean under `recommended`, and under `recommended-type-checked` but for
 * `serializable-step-result` on the one step that returns a Date.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import parser from "@typescript-eslint/parser";
import { ESLint, Linter, type Rule } from "eslint";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import plugin from "../../../eslint-plugin/index.js";
import { UNIT_SCENARIOS } from "./aws-unit-scenarios.js";

const PLUGIN = path.resolve(import.meta.dirname, "../../../../shared/real-world/aws-eslint-plugin/src/rules");
const PROJECT_MODULES = path.resolve(import.meta.dirname, "../../../node_modules");

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
  /** Where the case is: "integ test line 42" or the unit test's title. */
  readonly from: string;
}

function integCasesOf(rule: string): Case[] {
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
        if (code && (ts.isNoSubstitutionTemplateLiteral(code) || ts.isStringLiteral(code))) {
          const line = source.getLineAndCharacterOfPosition(element.getStart()).line + 1;
          cases.push({ rule, kind: node.name.text, code: code.text, from: `${rule}.integ.test.ts line ${line}` });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return cases;
}

const cases: Case[] = [
  ...Object.keys(MATCHING).flatMap(integCasesOf),
  ...UNIT_SCENARIOS.map((scenario) => ({ rule: scenario.rule, kind: scenario.kind, code: scenario.code, from: `${scenario.rule}.test.ts "${scenario.test}"` })),
];
const invalid = cases.filter((testCase) => testCase.kind === "invalid");
const valid = cases.filter((testCase) => testCase.kind === "valid");

const linter = new Linter();
const awsRules = new Map<string, Rule.RuleModule>();

/** The lines AWS's own rule reports in a case. */
function awsLines(testCase: Case): number[] {
  const config = {
    files: ["**/*.ts"],
    languageOptions: { parser: parser as Linter.Parser },
    plugins: { aws: { rules: { [testCase.rule]: awsRules.get(testCase.rule)! } } },
    rules: { [`aws/${testCase.rule}`]: "error" as const },
  };
  return [...new Set(linter.verify(testCase.code, [config], "case.ts").map((message) => message.line))];
}

/** AWS's rules call context.getSourceCode(), which ESLint 10 no longer has: it is context.sourceCode. */
function onCurrentEslint(rule: Rule.RuleModule): Rule.RuleModule {
  return {
    ...rule,
    create: (context) =>
      rule.create(new Proxy(context, { get: (target, key) => (key === "getSourceCode" ? () => target.sourceCode : Reflect.get(target, key)) })),
  };
}

function ours(code: string): Linter.LintMessage[] {
  return linter.verify(code, [plugin.configs.recommended as unknown as Linter.Config], "case.ts");
}

beforeAll(async () => {
  if (!existsSync(PLUGIN)) throw new Error(`${PLUGIN} is missing: it holds AWS's plugin this test reads (see ../shared/real-world/README.md)`);
  for (const rule of Object.keys(MATCHING)) {
    const module = (await import(path.join(PLUGIN, rule, `${rule}.ts`))) as Record<string, Rule.RuleModule>;
    awsRules.set(rule, onCurrentEslint(Object.values(module)[0]!));
  }
});

describe("AWS's plugin tests (RuleTester cases and unit-test scenarios)", () => {
  it("are 38 invalid cases (21 RuleTester, 17 unit-test scenarios), each reported by AWS's own rule, and valid cases it leaves clean", () => {
    expect(invalid.filter((testCase) => testCase.from.includes(".integ.test.ts"))).toHaveLength(21);
    expect(invalid).toHaveLength(38);
    expect(invalid.filter((testCase) => awsLines(testCase).length === 0).map((testCase) => testCase.from)).toEqual([]);
    expect(valid.filter((testCase) => awsLines(testCase).length > 0).map((testCase) => testCase.from)).toEqual([]);
  });

  it("every invalid case is reported by a matching rule at each line AWS's rule reports (38 of 38)", () => {
    const matchingLines = (testCase: Case) =>
      new Set(ours(testCase.code).filter((message) => MATCHING[testCase.rule]!.includes(message.ruleId?.replace("replayable/", "") ?? "")).map((message) => message.line));
    const missed = invalid.flatMap((testCase) => {
      const lines = matchingLines(testCase);
      return awsLines(testCase).filter((line) => !lines.has(line)).map((line) => `${testCase.from}: AWS reports line ${line}`);
    });
    expect(missed).toEqual([]);
    // `const draw = Math.random; const value = draw();`: AWS reports taking the method (line 4);
    // replayable reports it there too, and the call that draws the number (line 5), where a step records the value.
    const alias = invalid.find((testCase) => testCase.from.endsWith('"should detect destructured methods"'))!;
    expect([...matchingLines(alias)].sort()).toEqual([4, 5]);
  });

  it("every valid case is clean under recommended", () => {
    const reported = valid.flatMap((testCase) => ours(testCase.code).map((message) => `${testCase.from}: ${message.ruleId} ${message.message}`));
    expect(reported).toEqual([]);
  });

  describe("under recommended-type-checked", () => {
    let folder: string;
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it("every valid case is clean but for serializable-step-result on the step that returns a Date", async () => {
      folder = mkdtempSync(path.join(os.tmpdir(), "replayable-aws-plugin-"));
      writeFileSync(
        path.join(folder, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [`${PROJECT_MODULES}/@types`], paths: { "*": [`${PROJECT_MODULES}/*`] } },
          include: ["*.ts"],
        }),
      );
      valid.forEach((testCase, index) => writeFileSync(path.join(folder, `case-${index}.ts`), testCase.code));
      const typeChecked = plugin.configs["recommended-type-checked"];
      const eslint = new ESLint({
        cwd: folder,
        overrideConfigFile: true,
        overrideConfig: [{ ...typeChecked, languageOptions: { ...typeChecked.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: folder } } } as unknown as Linter.Config],
      });
      const results = await eslint.lintFiles(["*.ts"]);
      const reported = results.flatMap((result) => {
        const testCase = valid[Number(/case-(\d+)\.ts$/.exec(result.filePath)![1])]!;
        const line = (n: number) => testCase.code.split("\n")[n - 1]!.trim();
        const returned = /return (.+);/.exec(testCase.code)?.[1] ?? "nothing";
        return result.messages.map((message) => `${message.ruleId} at "${line(message.line)}" (the step returns ${returned})`);
      });
      expect(reported).toEqual(['replayable/serializable-step-result at "const result = await context.step(async () => {" (the step returns new Date())']);
    }, 120_000);
  });
});
