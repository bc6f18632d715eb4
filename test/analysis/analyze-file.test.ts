import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile, describeChain } from "../../analysis/index.js";

function parse(code: string, fileName = "handler.ts"): ts.SourceFile {
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function lineOf(sourceFile: ts.SourceFile, offset: number): number {
  return sourceFile.getLineAndCharacterOfPosition(offset).line + 1;
}

describe("handler discovery", () => {
  it("finds handlers through named, renamed, namespace and default-export forms", () => {
    const sourceFile = parse(`
import { withDurableExecution as durable } from "@aws/durable-execution-sdk-js";
import * as replayable from "replayable";
async function processOrder(event: unknown, context: unknown) {}
export const a = durable(processOrder);
export default replayable.withDurableExecution(async (event, ctx) => {});
export const notAHandler = somethingElse(async (event, ctx) => {});
`);
    const { handlers } = analyzeSourceFile(sourceFile);
    expect(handlers.map((handler) => [handler.name, handler.runtime])).toEqual([
      ["a", "aws"],
      ["default", "replayable"],
    ]);
    expect(handlers[0]!.contextParameters.map((parameter) => parameter.name.getText())).toEqual(["context"]);
  });

  it("does not treat a local function named withDurableExecution as the SDK's", () => {
    const sourceFile = parse(`
function withDurableExecution(fn: unknown) { return fn; }
export const handler = withDurableExecution(async (event: unknown, context: unknown) => Math.random());
`);
    expect(analyzeSourceFile(sourceFile).handlers).toEqual([]);
  });

  it("skips files that mention neither entry point without walking them", () => {
    const sourceFile = parse(`export const x = Math.random();`);
    const analysis = analyzeSourceFile(sourceFile);
    expect(analysis.handlers).toEqual([]);
    expect(analysis.findings).toEqual([]);
  });
});

describe("regions", () => {
  const code = `
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
const check = async (state: number) => state + Math.random();
export const handler = withDurableExecution(async (event: any, context: any) => {
  await context.step("a", async () => Math.random());
  await context.waitForCondition("poll", check, { initialState: 0, waitStrategy: () => ({ shouldContinue: false }) });
  await context.waitForCallback("cb", async (id: string) => { console.log(id); });
  await context.map("m", event.items, async (itemContext: any, item: any) => item);
  return Date.now();
});
`;
  const sourceFile = parse(code);
  const analysis = analyzeSourceFile(sourceFile);

  it("records step functions, waitForCondition checks and waitForCallback submitters as step code", () => {
    const stepTexts = [...analysis.stepFunctions].map((node) => node.getText(sourceFile));
    expect(stepTexts).toEqual([
      "async () => Math.random()",
      "async (state: number) => state + Math.random()",
      "async (id: string) => { console.log(id); }",
    ]);
  });

  it("reports only the orchestration code", () => {
    expect(analysis.findings.map((finding) => [finding.rule, lineOf(sourceFile, finding.start)])).toEqual([
      ["no-nondeterminism-outside-step", 9],
    ]);
  });

  it("lists each durable operation found in orchestration code", () => {
    expect([...analysis.operations.values()]).toEqual(["step", "waitForCondition", "waitForCallback", "map"]);
  });
});

describe("helpers", () => {
  it("marks a helper's parameter as a context when orchestration code passes one", () => {
    const sourceFile = parse(`
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
async function charge(ctx: any, amount: number) {
  await ctx.step("charge", async () => fetch("https://pay/" + amount));
  return ctx.lambdaContext.awsRequestId;
}
export const handler = withDurableExecution(async (event: any, context: any) => charge(context, 5));
`);
    const analysis = analyzeSourceFile(sourceFile);
    expect(analysis.findings.map((finding) => [finding.rule, finding.source, describeChain(finding.chain)])).toEqual([
      ["no-invocation-context-read", "ctx.lambdaContext.awsRequestId", " in charge(), called from the handler at handler.ts:7"],
    ]);
    expect([...analysis.operations.values()]).toEqual(["step"]);
  });

  it("terminates on recursive helpers and reports each site once", () => {
    const sourceFile = parse(`
import { withDurableExecution } from "replayable";
function a(n: number): number { return n > 0 ? b(n - 1) : Math.random(); }
function b(n: number): number { return a(n) + Math.random(); }
export const handler = withDurableExecution(async (event: any, context: any) => a(3));
`);
    const findings = analyzeSourceFile(sourceFile).findings;
    expect(findings.map((finding) => [lineOf(sourceFile, finding.start), describeChain(finding.chain)])).toEqual([
      [3, " in a(), called from the handler at handler.ts:5"],
      [4, " in b(), called from a() at handler.ts:3, called from the handler at handler.ts:5"],
    ]);
  });
});

describe("type-aware discovery", () => {
  it("recognises a DurableContext reached through a type alias in another file", () => {
    const root = path.resolve(import.meta.dirname, "../../");
    const files: Record<string, string> = {
      [path.join(root, "virtual/types.ts")]: `import type { DurableContext } from "@aws/durable-execution-sdk-js";
export type Ctx = DurableContext;`,
      [path.join(root, "virtual/flow.ts")]: `import type { Ctx } from "./types.js";
export async function flow(ctx: Ctx) { return Date.now(); }`,
    };
    const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (fileName) => files[fileName] ?? readFile(fileName);
    host.fileExists = (fileName) => fileName in files || fileExists(fileName);
    host.directoryExists = (directory) => directory === path.join(root, "virtual") || ts.sys.directoryExists(directory);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, language) =>
      files[fileName] !== undefined ? ts.createSourceFile(fileName, files[fileName]!, language, true) : getSourceFile(fileName, language);
    const program = ts.createProgram(Object.keys(files), options, host);
    const flow = program.getSourceFile(path.join(root, "virtual/flow.ts"))!;

    // Without types the alias hides the context; with the checker it is found.
    expect(analyzeSourceFile(flow).handlers).toEqual([]);
    const typed = analyzeSourceFile(flow, { checker: program.getTypeChecker() });
    expect(typed.handlers.map((handler) => handler.name)).toEqual(["flow"]);
    expect(typed.findings.map((finding) => finding.source)).toEqual(["Date.now()"]);
  });
});

describe("one report per site", () => {
  it("reports a chained I/O expression once and leaves pure helpers of I/O modules alone", () => {
    const sourceFile = parse(`
import { withDurableExecution } from "replayable";
import got from "got";
import axios from "axios";
import { isIP } from "node:net";
export const handler = withDurableExecution(async (event: any, context: any, ctx: import("replayable").DurableContext) => {
  const body = await got(event.url).json();
  try { await axios.get(event.url).then((r) => r.data); } catch (error) { if (axios.isAxiosError(error)) return isIP(event.host); }
});
`);
    const findings = analyzeSourceFile(sourceFile).findings;
    expect(findings.map((finding) => [lineOf(sourceFile, finding.start), finding.source])).toEqual([
      [7, 'got(event.url).json() (from "got")'],
      [8, 'axios.get(event.url).then() (get().then from "axios")'],
    ]);
  });
});

describe("contexts passed on and helpers reached through objects", () => {
  const rulesAndLines = (code: string) => {
    const sourceFile = parse(code);
    return analyzeSourceFile(sourceFile).findings.map((finding) => `${lineOf(sourceFile, finding.start)}:${finding.rule}`);
  };

  it("follows a context passed inside an object, destructured or read as a member", () => {
    expect(
      rulesAndLines(`
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
async function charge({ ctx, id }: { ctx: DurableContext; id: string }) {
  return ctx.step("charge", async () => fetch("https://pay/" + id + Date.now()));
}
async function refund(deps: { ctx: DurableContext }, id: string) {
  return deps.ctx.step("refund", async () => fetch("https://refund/" + id));
}
export const handler = withDurableExecution(async (event: { id: string }, context: DurableContext) => {
  await charge({ ctx: context, id: event.id });
  return refund({ ctx: context }, event.id);
});
`),
    ).toEqual([]);
  });

  it("knows branches pushed into an array that parallel receives, before walking them", () => {
    expect(
      rulesAndLines(`
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: any, context: any) => {
  const branches = [];
  for (const warehouse of event.warehouses) {
    branches.push(async (branch: any) => branch.step("confirm-" + warehouse, async () => fetch("https://" + warehouse)));
  }
  return context.parallel("confirm", branches);
});
`),
    ).toEqual([]);
  });

  it("analyses methods of a const object literal called from orchestration code", () => {
    expect(
      rulesAndLines(`
import { withDurableExecution } from "replayable";
const pricing = {
  quote() { return Math.random(); },
  discount: (cents: number) => cents - Date.now(),
};
export const handler = withDurableExecution(async (event: any, context: any) => pricing.quote() + pricing.discount(5));
`),
    ).toEqual(["4:no-nondeterminism-outside-step", "5:no-nondeterminism-outside-step"]);
  });
});
