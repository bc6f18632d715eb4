import { describe, expect, it } from "vitest";
import { displayText, functionTargetsIn, resolveText } from "../../doctor/intrinsics.js";
import { parseTemplateText, TemplateSyntaxError } from "../../doctor/template-document.js";
import { templateOf, type Template } from "../../doctor/template.js";

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders
      Role: !GetAtt [Role, Arn]
      Environment:
        Variables:
          A: !GetAtt Fn.Arn
          B: !Sub "\${Fn.Arn}:live"
          C: !Join [":", [!Ref Fn, "$LATEST"]]
          D: !Select [6, !Split [":", !Ref Alias]]
          E: !Sub ["\${Target}:*", { Target: !GetAtt Fn.Arn }]
          F: arn:aws:lambda:us-east-1:123456789012:function:orders:7
          G: !If [IsProd, a, b]
          H: &shared !Ref Fn
          I: *shared
  Alias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      Name: live
  Role:
    Type: AWS::IAM::Role
`;

const template = templateOf(parseTemplateText("template.yaml", TEMPLATE)) as Template;
const variables = (template.resources.get("Fn")!.properties.Environment as { Variables: Record<string, unknown> }).Variables;
const targetOf = (name: string) => functionTargetsIn(resolveText(variables[name], template)!, template);

describe("template reader", () => {
  it("turns the short-form tags into the JSON form, scalar and sequence alike, and follows anchors", () => {
    expect(template.resources.get("Fn")!.properties.Role).toEqual({ "Fn::GetAtt": ["Role", "Arn"] });
    expect(variables.A).toEqual({ "Fn::GetAtt": ["Fn", "Arn"] });
    expect(variables.C).toEqual({ "Fn::Join": [":", [{ Ref: "Fn" }, "$LATEST"]] });
    expect(variables.G).toEqual({ "Fn::If": ["IsProd", "a", "b"] });
    expect(variables.I).toEqual({ Ref: "Fn" });
  });

  it("keeps where each key was written (1-based line and column)", () => {
    expect(template.positionOfResource("Alias")).toEqual({ line: 19, column: 3 });
    expect(template.positionOf(variables, "E")).toEqual({ line: 14, column: 11 });
  });

  it("resolves what names a function and the qualifier written after it", () => {
    expect(targetOf("A")).toEqual([{ functionId: "Fn", qualifier: "" }]);
    expect(targetOf("B")).toEqual([{ functionId: "Fn", qualifier: "live" }]);
    expect(targetOf("C")).toEqual([{ functionId: "Fn", qualifier: "$LATEST" }]);
    expect(targetOf("D")).toEqual([{ functionId: "Fn", qualifier: "" }]);
    expect(targetOf("E")).toEqual([{ functionId: "Fn", qualifier: "*" }]);
    expect(targetOf("F")).toEqual([{ functionId: "Fn", qualifier: "7" }]);
    expect(resolveText(variables.G, template)).toBeUndefined();
    expect(displayText(resolveText(variables.A, template)!)).toBe("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}");
  });

  it("reads JSON with positions, and names the line of a syntax error", () => {
    const json = templateOf(parseTemplateText("t.json", '{\n  "Resources": {\n    "Q": { "Type": "AWS::SQS::Queue" }\n  }\n}'))!;
    expect(json.positionOfResource("Q")).toEqual({ line: 3, column: 5 });
    expect(() => parseTemplateText("bad.yaml", "Resources:\n  A: 1\n  A: 2\n")).toThrow(TemplateSyntaxError);
    expect(() => parseTemplateText("bad.yaml", "Resources:\n  A: [1,\n")).toThrow(/^bad\.yaml:\d+:\d+: /);
  });

  it("is not a template without Resources of typed resources", () => {
    expect(templateOf(parseTemplateText("x.yaml", "name: ci\non: push\n"))).toBeUndefined();
    expect(templateOf(parseTemplateText("x.yaml", "Resources:\n  - a\n"))).toBeUndefined();
  });
});
