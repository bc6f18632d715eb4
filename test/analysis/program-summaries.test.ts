import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile, describeChain, summarizedFunctionCount, type Finding } from "../../analysis/index.js";

const project = path.resolve(import.meta.dirname, "../../fixtures/typed-cross-file");

function loadProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(project, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  return ts.createProgram(config!.fileNames, config!.options);
}

const describeAll = (findings: readonly Finding[]) =>
  findings.map((finding) => `${finding.source}${describeChain(finding.chain, finding.origin, finding.otherCalls, project)}`);

describe("summaries of helpers in other files", () => {
  it("are computed once per program and reused by every file that calls them", () => {
    const program = loadProgram();
    const checker = program.getTypeChecker();
    const checkout = analyzeSourceFile(program.getSourceFile(path.join(project, "src/checkout.ts"))!, { checker });
    // checkout.ts calls quote, recordedQuote, applyDiscount, notifyWarehouse and stampedQuote
    // from lib/pricing.ts, debugLog from lib/debug-log.ts and auditStamp from lib/audit.ts.
    expect(summarizedFunctionCount(checker)).toBe(7);
    const reorder = analyzeSourceFile(program.getSourceFile(path.join(project, "src/reorder.ts"))!, { checker });
    // reorder.ts calls quote() and debugLog() too: their summaries are reused, nothing new is computed.
    expect(summarizedFunctionCount(checker)).toBe(7);
    expect(describeAll(reorder.findings)).toEqual(["fetch() in src/lib/pricing.ts:10, in quote(), called from handler reorder at src/reorder.ts:6"]);
    expect(describeAll(checkout.findings)).toContain("fetch() in src/lib/pricing.ts:10, in quote(), called from handler checkout at src/checkout.ts:23");
    // debugLog()'s console.log is fixed in debugLog(): left to that file, with the chain.
    expect(describeAll(reorder.reachedElsewhere)).toEqual(["console.log() in debugLog(), called from handler reorder at src/reorder.ts:7"]);
    // A cold program with the SDK's types: over 30 s under heavy load.
  }, 120_000);

  it("give each helper file, analysed with the program, its hazards reached from other files, once per site", () => {
    const program = loadProgram();
    const logFile = analyzeSourceFile(program.getSourceFile(path.join(project, "src/lib/debug-log.ts"))!, { program });
    expect(describeAll(logFile.findings)).toEqual(["console.log() in debugLog(), called from handler checkout at src/checkout.ts:29 (and 1 other call)"]);
    // Without the program, nothing says the file's function is orchestration code.
    expect(analyzeSourceFile(program.getSourceFile(path.join(project, "src/lib/debug-log.ts"))!, { checker: program.getTypeChecker() }).findings).toEqual([]);
  }, 120_000);
});
