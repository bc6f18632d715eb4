import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile } from "../../analysis/index.js";

/**
 * The analysis skips work by looking at the text first: handler discovery walks only the
 * subtrees that contain a name bound to either SDK (or "DurableContext"), and scopes look for
 * `var` declarations only where the text has "var". Escape sequences spell a name differently
 * from its text, so a file with a backslash takes the full walk; these cases pin that down.
 */

function parse(code: string, fileName = "handler.ts"): ts.SourceFile {
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

const handlerNames = (code: string) => analyzeSourceFile(parse(code)).handlers.map((handler) => handler.name);
const findingSources = (code: string) => analyzeSourceFile(parse(code)).findings.map((finding) => finding.source);

describe("handler discovery over the subtrees that name the SDK", () => {
  it("finds wrappers nested in other calls, objects and functions, in source order", () => {
    const code = `
import { withDurableExecution as durable } from "replayable";
import * as aws from "@aws/durable-execution-sdk-js";
const { withDurableExecution: viaRequire } = require("replayable");
const derived = aws.withDurableExecution;
export const routes = {
  a: durable(async (event: unknown, ctx) => ctx.step(async () => 1)),
  b: register(() => aws.withDurableExecution(async (event: unknown, ctx) => 2)),
};
export const c = viaRequire(async (event: unknown, ctx) => 3);
export const d = derived(async (event: unknown, ctx) => 4);
`;
    expect(handlerNames(code)).toEqual(["a", "handler", "c", "d"]);
  });

  it("finds functions with a parameter typed DurableContext anywhere, next to wrappers", () => {
    const code = `
import { withDurableExecution, type DurableContext } from "replayable";
import type * as sdk from "@aws/durable-execution-sdk-js";
class Jobs {
  async run(ctx: DurableContext) { await ctx.wait({ seconds: 1 }); }
}
export const h = withDurableExecution(async (event: unknown, context) => {
  const inner = async (c: sdk.DurableContext) => c.step(async () => 1);
  return inner;
});
async function imported(ctx: import("replayable").DurableContext) {}
`;
    expect(handlerNames(code)).toEqual(["run", "h", "inner", "imported"]);
  });

  it("takes the full walk when a backslash may spell a name with escapes", () => {
    const code = `
import { withDurableExecution as w\\u0061rap } from "replayable";
export const h = w\\u0061rap(async (event: unknown, ctx) => Math.random());
`;
    expect(handlerNames(code)).toEqual(["h"]);
    expect(findingSources(code)).toEqual(["Math.random()"]);
  });

  it("finds a DurableContext type spelled with an escape", () => {
    const code = `
import { withDurableExecution, Durable\\u0043ontext as Ctx } from "replayable";
export async function helper(ctx: Ctx) { return Math.random(); }
`;
    expect(handlerNames(code)).toEqual(["helper"]);
  });
});

describe("var declarations found only where the text can hold them", () => {
  const handler = (body: string) => `
import { withDurableExecution } from "replayable";
export const h = withDurableExecution(async (event: unknown, ctx) => {
${body}
});
`;

  it("a hoisted var shadows a global, with or without escapes in the keyword", () => {
    expect(findingSources(handler("  if (event) { var Math = { random: () => 4 }; }\n  return Math.random();"))).toEqual([]);
    expect(findingSources(handler("  if (event) { \\u0076ar Math = { random: () => 4 }; }\n  return Math.random();"))).toEqual([]);
    expect(findingSources(handler("  if (event) { let Math = { random: () => 4 }; }\n  return Math.random();"))).toEqual(["Math.random()"]);
  });

  it("a var elsewhere in the file does not shadow a global inside the handler", () => {
    const code = `${handler("  return Math.random();")}\nfunction other() { var Math = 1; return Math; }\n`;
    expect(findingSources(code)).toEqual(["Math.random()"]);
  });
});
