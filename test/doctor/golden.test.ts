import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECK_IDS, runDoctor } from "../../doctor/index.js";

/**
 * Golden cases: each folder of fixtures/doctor/cases holds a template (and code) whose lines
 * say what doctor must report there: `# expect: check[, check]` in YAML, `// expect: check` in
 * code, or expected.json beside a JSON template. Every other line must stay quiet.
 */
const CASES = join(import.meta.dirname, "../../fixtures/doctor/cases");
const FIXTURES = join(import.meta.dirname, "../../fixtures/doctor");

function expectationsIn(folder: string): string[] {
  const expected: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name === "expected.json") {
        for (const entry of JSON.parse(readFileSync(path, "utf8")) as { file: string; line: number; check: string }[]) expected.push(`${entry.file}:${entry.line} ${entry.check}`);
      } else {
        readFileSync(path, "utf8").split("\n").forEach((line, index) => {
          const match = /(?:#|\/\/) expect: ([\w, -]+)$/.exec(line);
          for (const check of match?.[1]!.split(",").map((part) => part.trim()) ?? []) expected.push(`${relative(folder, path)}:${index + 1} ${check}`);
        });
      }
    }
  };
  visit(folder);
  return expected.sort();
}

function reported(folder: string): string[] {
  return runDoctor([folder], { cwd: folder })
    .findings.map((finding) => `${relative(folder, finding.file)}:${finding.line} ${finding.check}`)
    .sort();
}

const cases = readdirSync(CASES).sort();

describe("doctor golden cases", () => {
  it("has at least 30 cases and, for every check, a case that reports it and one that does not", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const byCheck = new Map(CHECK_IDS.map((id) => [id, { positive: 0, negative: 0 }]));
    for (const name of cases) {
      const checks = new Set(expectationsIn(join(CASES, name)).map((entry) => entry.split(" ")[1]));
      for (const [id, count] of byCheck) checks.has(id) ? count.positive++ : count.negative++;
    }
    for (const [id, count] of byCheck) {
      expect(count.positive, `${id} positive cases`).toBeGreaterThan(0);
      expect(count.negative, `${id} negative cases`).toBeGreaterThan(0);
    }
  });

  for (const name of cases) {
    it(name, () => {
      expect(reported(join(CASES, name))).toEqual(expectationsIn(join(CASES, name)));
    });
  }

  it("cdk: the synthesized template of fixtures/doctor/cdk/app.cjs, linked to its asset", () => {
    const folder = join(FIXTURES, "cdk");
    expect(reported(folder)).toEqual(expectationsIn(folder));
  });
});
