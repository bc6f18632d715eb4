import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../cli/bin.js";
import { CHECK_IDS } from "../../doctor/index.js";
import type { Io } from "../../cli/io.js";

const REPO = join(import.meta.dirname, "../..");
const CASES = join(REPO, "fixtures/doctor/cases");

async function doctor(args: string[], cwd = REPO) {
  let stdout = "";
  let stderr = "";
  const io = { cwd, env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } } as unknown as Io;
  const code = await main(["doctor", ...args], io);
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), "doctor-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("replayable doctor", () => {
  it("exits 0 on a clean template and says what it checked", async () => {
    expect(await doctor([join(CASES, "sam-clean")])).toEqual({ code: 0, stdout: "replayable doctor: no problems found (1 template, 0 source files)\n", stderr: "" });
  });

  it("exits 1 with each finding's file:line, check, resource, message and fix", async () => {
    const result = await doctor(["fixtures/doctor/cases/cfn-plural-action"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("fixtures/doctor/cases/cfn-plural-action/template.yaml:15:21  iam-durable-actions  Role\n");
    expect(result.stdout).toContain("lambda:CheckpointDurableExecutions is not an IAM action and grants nothing; the action is lambda:CheckpointDurableExecution");
    expect(result.stdout).toContain("  fix:\n    - lambda:CheckpointDurableExecution\n");
  });

  it("--format json prints { file, line, column, check, resource, message, fix } with paths from the working folder", async () => {
    const result = await doctor(["--format", "json", "--template", "template.yaml"], join(CASES, "cfn-unqualified-resource"));
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(findings).toHaveLength(1);
    expect(Object.keys(findings[0]!)).toEqual(["file", "line", "column", "check", "resource", "message", "fix"]);
    expect(findings[0]).toMatchObject({ file: "template.yaml", line: 14, column: 17, check: "iam-unqualified-resource", resource: "Role", fix: 'Resource: !Sub "${Orders.Arn}:*"' });
  });

  it("--format sarif: SARIF 2.1.0 with a rule per check and results pointing at the template", async () => {
    const result = await doctor(["--format", "sarif", join(CASES, "sam-range-too-long")]);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([...CHECK_IDS]);
    expect(sarif.runs[0].results.map((entry: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => [entry.ruleId, entry.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ["durable-config-range", 12],
      ["durable-config-range", 13],
    ]);
  });

  it("code without a template gets the code checks", async () => {
    writeFileSync(join(scratch, "caller.ts"), `import { withDurableExecution } from "@aws/durable-execution-sdk-js";\nexport const handler = withDurableExecution(async (event, context) => {\n  await context.invoke("pay", "payments");\n  await context.invoke("ship", "shipping:live");\n});\n`);
    const result = await doctor(["--format", "json", "caller.ts"], scratch);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).map((finding: { line: number; check: string; resource: string }) => [finding.line, finding.check, finding.resource])).toEqual([[3, "unqualified-durable-invoke", ""]]);
  });

  it("exits 2 on a missing path, an unreadable template, a file that is no template, and a bad --format", async () => {
    writeFileSync(join(scratch, "broken.yaml"), "Resources:\n  A: [unclosed\n");
    writeFileSync(join(scratch, "notes.json"), '{"hello": 1}');
    const missing = await doctor(["nowhere"], scratch);
    expect(missing).toEqual({ code: 2, stdout: "", stderr: "replayable doctor: nowhere does not exist; give a template, a source file or a folder\n" });
    const broken = await doctor(["broken.yaml"], scratch);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^replayable doctor: .*broken\.yaml:\d+:\d+: .*; fix the template's syntax/);
    const notTemplate = await doctor(["--template", "notes.json"], scratch);
    expect(notTemplate.code).toBe(2);
    expect(notTemplate.stderr).toContain("notes.json is not a CloudFormation or SAM template");
    const format = await doctor(["--format", "xml"], scratch);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format must be one of text, json, sarif; got xml");
  });

  it("examples/: the SAM template of the examples is clean; the one finding is the example that shows the invoke hazard on purpose", async () => {
    const result = await doctor(["--format", "json", "examples/"]);
    expect(JSON.parse(result.stdout).map((finding: { file: string; line: number; check: string; resource: string }) => `${finding.file}:${finding.line} ${finding.check} ${finding.resource}`)).toEqual([
      "examples/ai-agent-loop.ts:50 unqualified-durable-invoke AiAgentLoop",
    ]);
  });
});

describe("doctor's docs", () => {
  it("has a page per check under docs/doctor/, with incorrect and correct examples", () => {
    for (const id of CHECK_IDS) {
      const page = readFileSync(join(REPO, "docs/doctor", `${id}.md`), "utf8");
      expect(page.startsWith(`# \`${id}\``), id).toBe(true);
      expect(page, id).toContain("## Incorrect");
      expect(page, id).toContain("## Correct");
    }
  });
});
