import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDoctor, type DoctorFinding } from "../../doctor/index.js";

/**
 * AWS's examples template (../shared/real-world/aws-examples/template.yml, generated for the
 * SDK's examples; nobody here wrote it), read in place.
 *
 * What Lambda does with it: the role grants both durable actions on Resource "*", so there is
 * nothing to say about IAM. No function publishes a version (no AutoPublishAlias, no
 * AWS::Lambda::Version) and no DurableConfig sets AllowInvokeLatest: the Lambda Developer Guide
 * says a durable function is invoked through a qualified ARN (a version or alias) and lists
 * AllowInvokeLatest as the setting that allows $LATEST, so Lambda refuses to start a durable
 * execution of any of the 84 functions (an unqualified ARN, or :$LATEST as AWS's own testing
 * README writes it, is rejected without that setting). AWS's integration tests pass each
 * function's name in FUNCTION_NAME_MAP from outside the template. And the NonDurable example's
 * own config says `durableConfig: null`, yet the generated template gives it a DurableConfig
 * (src/examples/non-durable/non-durable.ts exports a plain async handler).
 */
const TEMPLATE = join(import.meta.dirname, "../../../shared/real-world/aws-examples/template.yml");
const text = readFileSync(TEMPLATE, "utf8");
const FUNCTIONS = (text.match(/Type: AWS::Serverless::Function/g) ?? []).length;

const doctor = (source: string) => runDoctor([], { cwd: join(TEMPLATE, ".."), templates: [TEMPLATE], readText: () => source }).findings;
const summary = (findings: readonly DoctorFinding[]) => findings.map((finding) => `${finding.resource} ${finding.check}`).sort();

describe("AWS's examples template", () => {
  const findings = doctor(text);

  it("has no IAM finding: its role grants both actions on Resource *", () => {
    expect(findings.filter((finding) => finding.check.startsWith("iam-"))).toEqual([]);
  });

  it("reports each function without a published version, and NonDurable's DurableConfig, and nothing else", () => {
    expect(FUNCTIONS).toBe(84);
    const noVersion = findings.filter((finding) => finding.check === "unqualified-durable-invoke");
    expect(noVersion).toHaveLength(FUNCTIONS);
    for (const finding of noVersion) expect(finding.message).toMatch(/^nothing in this template publishes a version of \w+ and its DurableConfig does not set AllowInvokeLatest/);
    const others = findings.filter((finding) => finding.check !== "unqualified-durable-invoke");
    expect(summary(others)).toEqual(["NonDurable durable-config-unused"]);
    expect(others[0]!.message).toContain("src/examples/non-durable/non-durable.ts (export handler) is not a durable handler");
  });

  it("with the four traps injected, reports exactly those in addition", () => {
    // 1. the plural action; 2. an unqualified Resource (HelloWorld gets a role of its own that grants
    // the actions on its bare ARN); 3. StepBasic loses its DurableConfig; 4. MultipleWaits gets an
    // event source, which without AutoPublishAlias invokes the bare function.
    const injected = text
      .replace("- lambda:CheckpointDurableExecution\n", "- lambda:CheckpointDurableExecutions\n")
      .replace(
        "Resources:\n",
        `Resources:\n  HelloWorldRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies:\n        - PolicyName: durable\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: [lambda:CheckpointDurableExecution, lambda:GetDurableExecutionState]\n                Resource: !GetAtt HelloWorld.Arn\n`,
      )
      .replace(/(  HelloWorld:\n(?:.*\n)*?      Role:\n)        Fn::GetAtt:\n          - DurableFunctionRole\n          - Arn\n/, "$1        Fn::GetAtt: [HelloWorldRole, Arn]\n")
      .replace(/(  StepBasic:\n(?:.*\n)*?)      DurableConfig:\n        ExecutionTimeout: 3600\n        RetentionPeriodInDays: 7\n/, "$1")
      .replace(/(  MultipleWaits:\n    Type: AWS::Serverless::Function\n    Properties:\n)/, "$1      Events:\n        Nightly:\n          Type: Schedule\n          Properties:\n            Schedule: rate(1 day)\n");
    const lines = injected.split("\n");
    const after = doctor(injected);
    const added = [...summary(after)];
    for (const entry of summary(findings)) added.splice(added.indexOf(entry), 1);
    expect(added.sort()).toEqual(["DurableFunctionRole iam-durable-actions", "HelloWorldRole iam-unqualified-resource", "MultipleWaits unqualified-durable-invoke", "StepBasic durable-config-missing"]);
    const at = (resource: string, check: string) => lines[after.find((finding) => finding.resource === resource && finding.check === check && !finding.message.startsWith("nothing"))!.line - 1]!.trim();
    expect(at("DurableFunctionRole", "iam-durable-actions")).toBe("- lambda:CheckpointDurableExecutions");
    expect(at("HelloWorldRole", "iam-unqualified-resource")).toBe("Resource: !GetAtt HelloWorld.Arn");
    expect(at("StepBasic", "durable-config-missing")).toBe("Handler: step-basic.handler");
    expect(at("MultipleWaits", "unqualified-durable-invoke")).toBe("Events:");
  });
});
