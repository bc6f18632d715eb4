import { describe, expect, it } from "vitest";
import { transform } from "../../transformer/index.js";
import { goldenCases, renderDiagnostics, renderIds, runCase } from "./golden.js";

const cases = goldenCases();

describe("golden fixtures (fixtures/transform/<case>)", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(cases)("$name", (testCase) => {
    const result = runCase(testCase);
    it("output.ts", () => {
      // toBe on strings: vitest prints a line diff on failure.
      expect(result.code).toBe(testCase.output);
    });
    it("ids.json", () => {
      expect(renderIds(result)).toBe(testCase.ids);
    });
    it("diagnostics.txt", () => {
      expect(renderDiagnostics(result)).toBe(testCase.diagnostics);
    });
  });
});

describe("byte identity", () => {
  it("returns the very input and no source map for files without durable handlers", () => {
    for (const code of [
      "export const x = Math.random();\n",
      "// withDurableExecution is only mentioned here\nexport const y = Date.now();\r\n",
      "\uFEFFconst z = 1;\t\n",
    ]) {
      const result = transform(code, "plain.ts");
      expect(result.code).toBe(code);
      expect(result.map).toBeUndefined();
      expect(result.ids).toEqual([]);
    }
  });

  it("keeps CRLF line endings and a BOM around the edits", () => {
    const code = '\uFEFFimport { withDurableExecution } from "replayable";\r\nexport const h = withDurableExecution(async (e: unknown, ctx) => {\r\n  const a = await ctx.step(async () => 1);\r\n  return a;\r\n});\r\n';
    const result = transform(code, "crlf.ts");
    expect(result.code).toBe(code.replace("ctx.step(async", 'ctx.step("h/a", async'));
  });
});
