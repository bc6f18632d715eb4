// Functions read from SAM/CloudFormation templates: AWS::Serverless::Function and
// AWS::Lambda::Function, with AWS::Lambda::Version and AWS::Lambda::Alias resources; and the
// errors that name what is wrong in the template.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FunctionCatalog } from "../../server/lambda-api/functions.js";
import { readSamTemplate } from "../../server/lambda-api/sam-template.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-sam-"));
mkdirSync(join(dir, "dist"));
writeFileSync(join(dir, "dist", "index.mjs"), "export const handler = () => {};\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function template(yaml: string): string {
  const file = join(dir, `template-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

describe("AWS::Lambda::Function", () => {
  it("reads Handler from a local Code directory, DurableConfig and Environment; versions in template order, aliases by !GetAtt or number", async () => {
    const functions = await readSamTemplate(
      template(`
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders
      Code: ./dist
      Handler: index.handler
      Runtime: nodejs22.x
      DurableConfig:
        ExecutionTimeout: 3600
        RetentionPeriodInDays: 30
      Environment:
        Variables:
          TABLE: orders-table
  OrdersV1:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  OrdersV2:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt OrdersV1.Version
      Name: live
  Canary:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: "2"
      Name: canary
  Newest:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: { "Fn::GetAtt": [OrdersV2, Version] }
      Name: newest
`),
    );
    expect(functions).toEqual([
      {
        name: "orders",
        file: join(dir, "dist", "index.mjs"),
        exportName: "handler",
        durableConfig: { ExecutionTimeout: 3600, RetentionPeriodInDays: 30, AllowInvokeLatest: false },
        versions: ["1", "2"],
        aliases: { live: "1", canary: "2", newest: "2" },
        environment: { TABLE: "orders-table" },
      },
    ]);
    const catalog = new FunctionCatalog(functions);
    expect(catalog.resolve("orders:live").version).toBe("1");
    expect(catalog.resolve("orders", "canary").engineName).toBe("orders:2");
  });

  it("beside an AWS::Serverless::Function with AutoPublishAlias: a Version resource publishes the next number", async () => {
    const functions = await readSamTemplate(
      template(`
Resources:
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./dist
      Handler: index.handler
      AutoPublishAlias: live
  SamV2:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Sam
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Code: dist
      Handler: index.handler
`),
    );
    expect(functions.map((f) => [f.name, f.versions, f.aliases])).toEqual([
      ["Sam", ["1", "2"], { live: "1" }],
      ["Plain", [], {}],
    ]);
  });

  it("refuses what it cannot serve, naming the resource and the fix", async () => {
    const base = (extra: string, code = "./dist") => `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: ${code}
      Handler: index.handler
${extra}`;
    await expect(readSamTemplate(template(base("", "{ S3Bucket: b, S3Key: k }")))).rejects.toThrow(
      "Fn: Code (S3Bucket, S3Key) is not a local directory. replayable serve runs local code: give Code as the directory of the built handler",
    );
    await expect(
      readSamTemplate(template(base("  A:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref Fn\n      Name: live\n      FunctionVersion: \"3\"\n"))),
    ).rejects.toThrow("A: alias live of Fn names version 3, which the template does not publish (versions: none).");
    await expect(readSamTemplate(template(base("  V:\n    Type: AWS::Lambda::Version\n    Properties:\n      FunctionName: !Ref Other\n")))).rejects.toThrow(
      'V: FunctionName "Other" is not a function of this template: use !Ref <function\'s logical id>.',
    );
    await expect(readSamTemplate(template("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"))).rejects.toThrow("the template has no AWS::Serverless::Function or AWS::Lambda::Function resources.");
  });
});
