import ts from "typescript";
import { describe, expect, it } from "vitest";
import { linkParents, parseForTransform } from "../../transformer/transform.js";
import { goldenCases } from "./golden.js";

/**
 * parseForTransform parses without TypeScript's setParentNodes and links the parent pointers
 * itself (linkParents): the tree must be the very one `setParentNodes: true` gives, JSDoc
 * included.
 */

/** Every node in a fixed order (JSDoc comments before the node's children), with the index of its parent. */
function shape(sourceFile: ts.SourceFile): string[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    nodes.push(node);
    for (const doc of (node as { jsDoc?: ts.Node[] }).jsDoc ?? []) visit(doc);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const index = new Map(nodes.map((node, i) => [node, i]));
  return nodes.map((node) => `${ts.SyntaxKind[node.kind]} ${node.pos}-${node.end} parent=${node.parent ? (index.get(node.parent) ?? "outside") : "none"}`);
}

function expectSameTree(code: string, fileName: string): void {
  const kind = /\.[cm]?tsx?$/.test(fileName) ? (fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS) : fileName.endsWith("x") ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  const reference = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
  expect(shape(parseForTransform(code, fileName))).toEqual(shape(reference));
}

const JSDOC = `
/**
 * A handler.
 * @param {import("replayable").DurableContext} ctx the context
 * @template T
 * @returns {Promise<{ a: string, b: number[] }>} {@link other} text
 */
export async function handler(event, ctx) {
  /** @type {(x: number) => string} */
  const f = (x) => String(x);
  /** @typedef {{ id: string }} Item */
  /** @callback Done @param {Error} [error] */
  return f(1);
}
/** trailing comment at the end of the file */
`;

describe("parseForTransform", () => {
  it("gives the tree of createSourceFile with setParentNodes for every golden input", () => {
    for (const testCase of goldenCases()) expectSameTree(testCase.input, `${testCase.name}.ts`);
  });

  it("links the nodes inside JSDoc comments as TypeScript does, in .js, .ts, .tsx and .jsx files", () => {
    for (const fileName of ["doc.js", "doc.ts", "doc.jsx", "doc.tsx", "doc.mts"]) expectSameTree(JSDOC, fileName);
    expectSameTree("const el = <div a={1}>{/** @type {number} */ (x)}</div>;\n", "el.tsx");
  });

  it("links a file that is only comments, or empty", () => {
    expectSameTree("/** @deprecated */\n", "only.ts");
    expectSameTree("", "empty.ts");
  });

  it("linkParents leaves a tree that already has its parents as it is", () => {
    const sourceFile = ts.createSourceFile("a.ts", JSDOC, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const before = shape(sourceFile);
    expect(shape(linkParents(sourceFile))).toEqual(before);
  });
});
