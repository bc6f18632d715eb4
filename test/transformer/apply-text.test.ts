import { describe, expect, it } from "vitest";
import { applyPlanToText, applyWithMagicString } from "../../transformer/apply-text.js";
import { parseForTransform, planTransform, resolveOptions, type EditPlan } from "../../transformer/index.js";
import { createRng } from "../reliability/torture/rng.js";
import { goldenCases } from "./golden.js";

/**
 * The text applier builds its output and source map in one pass; magic-string (appendLeft,
 * overwrite, hires "boundary") is the reference it must match byte for byte.
 */

type Edit = { start: number; end: number; text: string };

const planOf = (fileName: string, edits: Edit[]): EditPlan => ({ fileName, ids: [], edits: edits as unknown as EditPlan["edits"], diagnostics: [] });

function expectSameAsMagicString(code: string, edits: Edit[], fileName: string): void {
  for (const sourceMap of [true, false]) {
    const fast = applyPlanToText(code, planOf(fileName, edits), fileName, sourceMap);
    const reference = applyWithMagicString(code, edits, fileName, sourceMap);
    expect(fast.code).toBe(reference.code);
    expect(JSON.stringify(fast.map)).toBe(JSON.stringify(reference.map));
  }
}


const SNIPPETS = ["", '"h/a", ', '"h/a",', "ctx.random()", "(await ctx.step(\"now\", async () => Date.now()))", "a\nb", "\n", "x\n", "\n\n  y", " import * as replayable from \"replayable\";", "é\u2028z"];

function randomEdits(code: string, next: () => number): Edit[] {
  const points = Array.from({ length: Math.floor(next() * 8) }, () => Math.floor(next() * (code.length + 1))).sort((a, b) => a - b);
  const edits: Edit[] = [];
  let covered = 0;
  for (let i = 0; i < points.length; i++) {
    const start = points[i]!;
    if (start < covered) continue;
    const text = SNIPPETS[Math.floor(next() * SNIPPETS.length)]!;
    if (next() < 0.5) {
      edits.push({ start, end: start, text });
      covered = start;
    } else {
      const end = Math.min(code.length, start + 1 + Math.floor(next() * 40));
      if (end === start) continue;
      edits.push({ start, end, text });
      covered = end;
    }
  }
  return edits;
}

describe("applyPlanToText", () => {
  const cases = goldenCases();

  it("matches magic-string on every golden fixture's plan", () => {
    for (const testCase of cases) {
      const fileName = `/project/src/${testCase.name}/input.ts`;
      const plan = planTransform(parseForTransform(testCase.input, fileName), resolveOptions(testCase.options));
      if (plan.edits.length === 0) continue;
      expectSameAsMagicString(testCase.input, plan.edits.map(({ start, end, text }) => ({ start, end, text })), fileName);
    }
  });

  it("matches magic-string on random edits of every fixture (words, CRLF, BOM, multi-line replacements)", () => {
    // Seeded, so a failure names a reproducible case.
    const next = createRng(20261127).next;
    const texts = [...cases.map((testCase) => testCase.input), "\uFEFFa_b\r\n  c.d(e);\r\n", "", "x", "\n\n", "abc def\n\tghi_jkl  mno\n"];
    const fileNames = ["input.ts", "/a/b/c.ts", "C:\\a\\b.ts", "", "src/x.mts"];
    for (let round = 0; round < 20; round++) {
      for (const code of texts) {
        const edits = randomEdits(code, next);
        if (edits.length === 0) continue;
        expectSameAsMagicString(code, edits, fileNames[Math.floor(next() * fileNames.length)]!);
      }
    }
  });

  it("falls back to magic-string for edits that are not ordered", () => {
    const code = "const a = b + c;\n";
    const edits = [
      { start: 10, end: 11, text: "x" },
      { start: 6, end: 6, text: "/*1*/" },
    ];
    const fast = applyPlanToText(code, planOf("f.ts", edits), "f.ts", true);
    const reference = applyWithMagicString(code, edits, "f.ts", true);
    expect(fast).toEqual(reference);
  });
});
