/**
 * The lint corpus: realistic durable handlers in fixtures/lint/, each line that must be
 * reported carrying its expected findings in a trailing comment:
 *
 *   const id = randomUUID(); // expect: no-nondeterminism-outside-step
 *   console.log(`charged ${id}`, process.env.STAGE); // expect: replay-aware-logging, no-env-outside-step
 *
 * Every file is linted once through ESLint's Node API with the plugin's `recommended`
 * config, and the multiset of (line, rule) reported must equal the one written down.
 * The corpus also checks the region claims of the analysis: no report lies inside step
 * code (except those of no-nested-durable-operation and no-captured-mutation-in-step, which
 * are about step code), and none lies outside orchestration code or a step.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSourceFile, scriptKindOf, type RuleName } from "../../analysis/index.js";
import plugin from "../../eslint-plugin/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CORPUS = path.join(ROOT, "fixtures/lint");
const PREFIX = "replayable/";
const LINTED = /\.(?:[cm]?[jt]sx?)$/;

const ALL_RULES = Object.keys(plugin.rules) as RuleName[];
/** The corpus is linted with `recommended`: rules that need types are covered by the type-aware tests instead. */
const RECOMMENDED_RULES = Object.keys(plugin.configs.recommended.rules).map(shortName);
/**
 * Rules whose findings are about step code itself, so they are reported inside it by design:
 * an operation nested in a step, and a step writing what it captured.
 */
const STEP_CODE_RULES = new Set(["no-nested-durable-operation", "no-captured-mutation-in-step"]);

/** Corpus files, relative to the corpus folder, sorted. */
const files = listFiles(CORPUS).map((file) => path.relative(CORPUS, file)).sort();

interface Report {
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly severity: number;
  readonly message: string;
}

/** Lint results per corpus file (relative path), for one config. */
type CorpusResults = Map<string, Report[]>;

let recommended: CorpusResults;
let strict: CorpusResults;

beforeAll(async () => {
  [recommended, strict] = await Promise.all([
    lintCorpus(plugin.configs.recommended as unknown as Linter.Config),
    lintCorpus(plugin.configs.strict as unknown as Linter.Config),
  ]);
});

describe("lint corpus (fixtures/lint)", () => {
  it("holds at least 40 handler files", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const withoutHandler = files.filter((file) => analyze(file).handlers.length === 0);
    expect(withoutHandler, "files in which the analysis finds no durable handler").toEqual([]);
  });

  it("expects a finding of every rule in `recommended` somewhere", () => {
    const counts = expectedCountsByRule();
    const missing = RECOMMENDED_RULES.filter((rule) => !counts.has(rule));
    expect(missing, "rules no corpus file expects").toEqual([]);
  });

  it("has an `// expect:` comment only with known rule names", () => {
    const unknown: string[] = [];
    for (const file of files) {
      for (const { line, rule } of expectedFindings(file)) {
        if (!ALL_RULES.includes(rule as RuleName)) unknown.push(`${file}:${line} ${rule}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("was linted completely, without parse errors", () => {
    expect([...recommended.keys()].sort()).toEqual(files);
  });

  it.each(files)("%s: reports exactly the expected findings", (file) => {
    const reports = recommended.get(file) ?? [];
    const fatal = reports.filter((report) => !report.rule.startsWith(PREFIX));
    expect(fatal.map((report) => `${file}:${report.line}:${report.column} ${report.message}`), "parse errors").toEqual([]);

    const actual = countBy(reports.map((report) => key(report.line, shortName(report.rule))));
    const expected = countBy(expectedFindings(file).map(({ line, rule }) => key(line, rule)));
    const differences = differencesOf(file, expected, actual, reports);
    expect(differences, `${file}: expected (line, rule) findings differ from the reported ones`).toEqual([]);
  });

  it.each(files)("%s: reports nothing inside step code or outside orchestration code", (file) => {
    const sourceFile = parse(file);
    const analysis = analyzeSourceFile(sourceFile);
    const steps = [...analysis.stepFunctions].map((node) => rangeOf(node, sourceFile));
    const orchestration = analysis.orchestration.map((unit) => rangeOf(unit.node, sourceFile));
    const misplaced: string[] = [];
    for (const report of recommended.get(file) ?? []) {
      if (!report.rule.startsWith(PREFIX)) continue;
      const offset = sourceFile.getPositionOfLineAndCharacter(report.line - 1, report.column - 1);
      const rule = shortName(report.rule);
      const where = `${file}:${report.line}:${report.column} ${rule}`;
      const inStep = steps.some((range) => contains(range, offset));
      // Nested operations and captured mutations are findings in step code, so they may lie there;
      // every other finding must lie in orchestration code and outside steps.
      if (inStep && !STEP_CODE_RULES.has(rule)) misplaced.push(`${where} lies inside a step function`);
      if (!orchestration.some((range) => contains(range, offset)) && !(inStep && STEP_CODE_RULES.has(rule))) {
        misplaced.push(`${where} lies outside orchestration code`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it("reports with `strict` the same findings and those marked `// strict:`, all as errors", () => {
    const findings = (results: CorpusResults) =>
      [...results].flatMap(([file, reports]) => reports.map((report) => `${file}:${report.line} ${shortName(report.rule)}`)).sort();
    const strictOnly = files.flatMap((file) => expectedFindings(file, "strict").map(({ line, rule }) => `${file}:${line} ${rule}`));
    expect(findings(strict)).toEqual([...findings(recommended), ...strictOnly].sort());
    const notErrors = [...strict].flatMap(([file, reports]) =>
      reports.filter((report) => report.severity !== 2).map((report) => `${file}:${report.line} ${report.rule}`),
    );
    expect(notErrors).toEqual([]);
  });
});

async function lintCorpus(config: Linter.Config): Promise<CorpusResults> {
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: [config] });
  const results = await eslint.lintFiles([path.relative(ROOT, CORPUS)]);
  return new Map(
    results.map((result) => [
      path.relative(CORPUS, result.filePath),
      result.messages.map((message) => ({
        line: message.line,
        column: message.column,
        rule: message.ruleId ?? "(parse error)",
        severity: message.severity,
        message: message.message,
      })),
    ]),
  );
}

/**
 * `// expect: rule-a, rule-b` at the end of a line: one finding per listed name; `// strict: rule`
 * marks a finding only `strict` reports (its style rules).
 */
function expectedFindings(file: string, marker: "expect" | "strict" = "expect"): { line: number; rule: string }[] {
  const lines = readFileSync(path.join(CORPUS, file), "utf8").split("\n");
  const pattern = new RegExp(`//\\s*${marker}:\\s*(.+?)\\s*(?://.*)?$`);
  return lines.flatMap((text, index) => {
    const match = pattern.exec(text);
    if (!match) return [];
    return match[1]!
      .split(",")
      .map((rule) => rule.trim())
      .filter((rule) => rule !== "")
      .map((rule) => ({ line: index + 1, rule }));
  });
}

function expectedCountsByRule(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    for (const { rule } of expectedFindings(file)) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return counts;
}

/** One line per (line, rule) whose counts differ: "file:12 no-io-outside-step: expected 1, reported 0". */
function differencesOf(file: string, expected: Map<string, number>, actual: Map<string, number>, reports: Report[]): string[] {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort(byLineThenRule);
  const differences: string[] = [];
  for (const entry of keys) {
    const want = expected.get(entry) ?? 0;
    const got = actual.get(entry) ?? 0;
    if (want === got) continue;
    const [line, rule] = splitKey(entry);
    const messages = reports
      .filter((report) => report.line === line && shortName(report.rule) === rule)
      .map((report) => ` [col ${report.column}: ${report.message}]`)
      .join("");
    differences.push(`${file}:${line} ${rule}: expected ${want}, reported ${got}${messages}`);
  }
  return differences;
}

function analyze(file: string) {
  return analyzeSourceFile(parse(file));
}

function parse(file: string): ts.SourceFile {
  const text = readFileSync(path.join(CORPUS, file), "utf8");
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
}

function rangeOf(node: ts.Node, sourceFile: ts.SourceFile): readonly [number, number] {
  return [node.getStart(sourceFile), node.getEnd()];
}

function contains([start, end]: readonly [number, number], offset: number): boolean {
  return offset >= start && offset < end;
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return LINTED.test(entry.name) ? [full] : [];
  });
}

function shortName(rule: string): string {
  return rule.startsWith(PREFIX) ? rule.slice(PREFIX.length) : rule;
}

function key(line: number, rule: string): string {
  return `${line}\u0000${rule}`;
}

function splitKey(entry: string): [number, string] {
  const [line, rule] = entry.split("\u0000");
  return [Number(line), rule!];
}

function byLineThenRule(a: string, b: string): number {
  const [lineA, ruleA] = splitKey(a);
  const [lineB, ruleB] = splitKey(b);
  return lineA - lineB || ruleA.localeCompare(ruleB);
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of keys) counts.set(entry, (counts.get(entry) ?? 0) + 1);
  return counts;
}
