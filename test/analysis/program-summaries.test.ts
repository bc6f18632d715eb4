import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile, describeChain, summarizedFunctionCount } from "../../analysis/index.js";

const project = path.resolve(import.meta.dirname, "../../fixtures/typed-cross-file");

function loadProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(project, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  return ts.createProgram(config!.fileNames, config!.options);
}

describe("summaries of helpers in other files", () => {
  it("are computed once per program and reused by every file that calls them", () => {
    const program = loadProgram();
    const checker = program.getTypeChecker();
    const checkout = analyzeSourceFile(program.getSourceFile(path.join(project, "src/checkout.ts"))!, { checker });
    // checkout.ts calls quote, recordedQuote, applyDiscount and notifyWarehouse from lib/pricing.ts.
    expect(summarizedFunctionCount(checker)).toBe(4);
    const reorder = analyzeSourceFile(program.getSourceFile(path.join(project, "src/reorder.ts"))!, { checker });
    // reorder.ts calls quote() too: its summary is reused, nothing new is computed.
    expect(summarizedFunctionCount(checker)).toBe(4);
    const describe = (findings: typeof reorder.findings) => findings.map((finding) => `${finding.source}${describeChain(finding.chain, finding.origin)}`);
    expect(describe(reorder.findings)).toEqual(["fetch() in lib/pricing.ts:10, in quote(), called from handler reorder at reorder.ts:5"]);
    expect(describe(checkout.findings)).toContain("fetch() in lib/pricing.ts:10, in quote(), called from handler checkout at checkout.ts:21");
  });
});
