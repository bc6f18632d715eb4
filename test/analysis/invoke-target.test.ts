import { describe, expect, it } from "vitest";
import { qualifierOf } from "../../analysis/index.js";

describe("qualifierOf", () => {
  it.each([
    ["payments", ""],
    ["payments:prod", "prod"],
    ["payments:12", "12"],
    ["payments:$LATEST", "$LATEST"],
    ["123456789012:function:payments", ""],
    ["123456789012:function:payments:live", "live"],
    ["arn:aws:lambda:us-east-1:123456789012:function:payments", ""],
    ["arn:aws:lambda:us-east-1:123456789012:function:payments:3", "3"],
    ["arn:aws-cn:lambda:cn-north-1:123456789012:function:payments:$LATEST", "$LATEST"],
  ])("reads the qualifier of %s", (identifier, qualifier) => {
    expect(qualifierOf(identifier, true)).toBe(qualifier);
  });

  it("does not guess on malformed identifiers", () => {
    expect(qualifierOf("arn:aws:lambda:us-east-1:123:function:a:b:c", true)).toBeUndefined();
    expect(qualifierOf("a:b:c", true)).toBeUndefined();
  });

  it("judges an interpolated target only by an explicit trailing qualifier", () => {
    expect(qualifierOf(":prod", false)).toBe("prod");
    expect(qualifierOf(":$LATEST", false)).toBe("$LATEST");
    expect(qualifierOf("", false)).toBeUndefined();
  });
});
