/**
 * The edit-stability matrix: for every golden handler fixture, edits that should not change
 * identity leave every existing ID unchanged; renaming the handler or a step's variable
 * changes only the IDs that derive from that name.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { analyzeSourceFile } from "../../analysis/index.js";
import { parseForTransform, planForText, transform, type OperationIdEntry } from "../../transformer/index.js";
import { goldenCases } from "./golden.js";

// Options only change rewrites, never IDs of the user's operations, so IDs are computed with the defaults.
const handlerCases = goldenCases().filter((testCase) => transform(testCase.input, "input.ts").ids.some((entry) => !entry.explicit && entry.id !== null));

/** The operations with a stable ID (an ambiguous first argument gives none). */
function idsOf(code: string, fileName = "input.ts"): (OperationIdEntry & { id: string })[] {
  return planForText(code, fileName).ids.filter((entry): entry is OperationIdEntry & { id: string } => entry.id !== null);
}

function computed(code: string, fileName = "input.ts"): string[] {
  return idsOf(code, fileName).filter((entry) => !entry.explicit).map((entry) => entry.id).sort();
}

/** Applies text replacements given by offsets (any order, non-overlapping). */
function splice(code: string, edits: { start: number; end: number; text: string }[]): string {
  let result = code;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function analysisOf(code: string) {
  const sourceFile = parseForTransform(code, "input.ts");
  return { sourceFile, analysis: analyzeSourceFile(sourceFile) };
}

/** The name of the context parameter of each handler, and where its body starts. */
function handlerBodies(code: string): { context: string; insertAt: number; async: boolean }[] {
  const { sourceFile, analysis } = analysisOf(code);
  return analysis.handlers.flatMap((handler) => {
    const parameter = handler.contextParameters[0];
    const body = handler.node.body;
    if (!parameter || !ts.isIdentifier(parameter.name) || !body || !ts.isBlock(body)) return [];
    const isAsync = ts.getModifiers(handler.node)?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
    return [{ context: parameter.name.text, insertAt: body.getStart(sourceFile) + 1, async: isAsync }];
  });
}

const EDITS: Record<string, (code: string) => string> = {
  reformatting: (code) => ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(parseForTransform(code, "input.ts")),
  "reindenting and blank lines": (code) => code.replace(/^( +)/gm, "$1$1").replace(/;\n/g, ";\n\n"),
  comments: (code) => `// A comment at the top.\n/* and a block */\n${code.replace(/\{\n/g, "{ // opened\n").replace(/;\n/g, "; /* done */\n")}`,
  "editing step bodies": (code) => {
    const { sourceFile, analysis } = analysisOf(code);
    const edits = [...analysis.stepFunctions].flatMap((fn) => {
      if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return [];
      const body = fn.body;
      if (ts.isBlock(body)) return [{ start: body.getStart(sourceFile) + 1, end: body.getStart(sourceFile) + 1, text: " const edited = [1, 2].length;" }];
      return [{ start: body.getStart(sourceFile), end: body.getEnd(), text: `{ const edited = [1, 2].length; return ${body.getText(sourceFile)}; }` }];
    });
    return splice(code, edits);
  },
  "inserting a new operation": (code) =>
    splice(code, handlerBodies(code).map((handler) => ({ start: handler.insertAt, end: handler.insertAt, text: ` void ${handler.context}.step(async () => insertedByEdit());` }))),
  "inserting a new wait and a new named step": (code) =>
    splice(
      code,
      handlerBodies(code).map((handler) => ({
        start: handler.insertAt,
        end: handler.insertAt,
        text: ` void ${handler.context}.wait({ seconds: 3 }); void ${handler.context}.step("added", async () => 1);`,
      })),
    ),
  "adding another handler": (code) =>
    `${code}\nexport async function addedHandler(event: unknown, addedContext: import("replayable").DurableContext) {\n  const extra = await addedContext.step(async () => 1);\n  return extra;\n}\n`,
};

/** How many fixtures each conditional edit actually applied to (checked at the end). */
const applied = { reorder: 0, renameVariable: 0, renameHandler: 0 };

describe("edit-stability matrix", () => {
  it("runs over at least 25 handler fixtures", () => {
    expect(handlerCases.length).toBeGreaterThanOrEqual(25);
  });

  describe.each(handlerCases)("$name", (testCase) => {
    const before = computed(testCase.input);

    it.each(Object.keys(EDITS))("%s keeps every existing ID", (edit) => {
      const edited = EDITS[edit]!(testCase.input);
      if (edit === "editing step bodies" && edited === testCase.input) return; // no inline step function to edit
      expect(edited).not.toBe(testCase.input);
      const after = computed(edited);
      for (const id of before) expect(after, `${id} after ${edit}`).toContain(id);
      // Only the edit's own additions are new.
      expect(after.filter((id) => !before.includes(id)).every((id) => /insertedByEdit|addedHandler|\/wait(#\d+)?$/.test(id)), after.join(", ")).toBe(true);
    });

    it("renaming or moving the file keeps every ID", () => {
      expect(computed(testCase.input, "src/orders/renamed-handler.ts")).toEqual(before);
      expect(computed(testCase.input, "/elsewhere/deep/path/input.mts")).toEqual(before);
    });

    it("reordering independent operations keeps every ID", () => {
      const { sourceFile, analysis } = analysisOf(testCase.input);
      const ids = new Map(idsOf(testCase.input).map((entry) => [`${entry.line}:${entry.column}`, entry.id]));
      // Two adjacent statements of one block, each holding one durable call with a distinct, unnumbered ID.
      const statementOf = (call: ts.Node) => {
        let node: ts.Node = call;
        while (node.parent && !ts.isBlock(node.parent)) node = node.parent;
        return node;
      };
      const byStatement = new Map<ts.Node, string[]>();
      for (const call of analysis.operations.keys()) {
        const { line, character } = sourceFile.getLineAndCharacterOfPosition(call.getStart(sourceFile));
        const statement = statementOf(call);
        byStatement.set(statement, [...(byStatement.get(statement) ?? []), ids.get(`${line + 1}:${character + 1}`)!]);
      }
      const candidates = [...byStatement].filter(([statement, list]) => list.length === 1 && !list[0]!.includes("#") && ts.isBlock(statement.parent));
      const pair = candidates.find(([first], index) => {
        const next = candidates[index + 1]?.[0];
        if (!next || next.parent !== first.parent) return false;
        const statements = (first.parent as ts.Block).statements;
        return statements.indexOf(next as ts.Statement) === statements.indexOf(first as ts.Statement) + 1;
      });
      if (!pair) return; // a fixture with no two adjacent single-operation statements has nothing to reorder
      const first = pair[0];
      const second = candidates[candidates.indexOf(pair) + 1]![0];
      const reordered = splice(testCase.input, [
        { start: first.getStart(sourceFile), end: first.getEnd(), text: second.getText(sourceFile) },
        { start: second.getStart(sourceFile), end: second.getEnd(), text: first.getText(sourceFile) },
      ]);
      expect(reordered).not.toBe(testCase.input);
      applied.reorder++;
      expect(computed(reordered)).toEqual(before);
    });

    it("renaming the handler changes only that handler's IDs", () => {
      const entries = idsOf(testCase.input).filter((entry) => !entry.explicit);
      const handler = entries[0]!.handler;
      if (handler === "default") return; // an anonymous default export has no name to rename
      const renamed = testCase.input.replace(new RegExp(`\\b${handler}\\b`, "g"), `${handler}Renamed`);
      const after = computed(renamed);
      const expected = entries
        .map((entry) => (entry.handler === handler ? `${handler}Renamed${entry.id.slice(handler.length)}` : entry.id))
        .sort();
      expect(after).toEqual(expected);
      applied.renameHandler++;
    });

    it("renaming the variable a step is assigned to changes only that step's ID", () => {
      const entries = idsOf(testCase.input).filter((entry) => !entry.explicit && entry.type === "step");
      const { sourceFile, analysis } = analysisOf(testCase.input);
      const assigned = [...analysis.operations.keys()].flatMap((call) => {
        let node: ts.Node = call.parent;
        while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = node.parent;
        return analysis.operations.get(call) === "step" && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) ? [node.name.text] : [];
      });
      const variable = assigned.find((name) => entries.some((entry) => entry.id.endsWith(`/${name}`)));
      if (!variable || !sourceFile) return; // no step assigned to a variable in this fixture
      const renamed = testCase.input.replace(new RegExp(`(?<![.\\w])${variable}\\b`, "g"), `${variable}Renamed`);
      const before = idsOf(testCase.input).filter((entry) => !entry.explicit).map((entry) => entry.id);
      const after = idsOf(renamed).filter((entry) => !entry.explicit).map((entry) => entry.id);
      expect(after.length).toBe(before.length);
      const changed = before.filter((id, index) => after[index] !== id);
      expect(changed.length).toBeGreaterThan(0);
      for (const id of changed) expect(id.endsWith(`/${variable}`), `${id} changed`).toBe(true);
      applied.renameVariable++;
    });
  });

  it("applied the conditional edits to enough fixtures", () => {
    expect(applied.reorder).toBeGreaterThanOrEqual(8);
    expect(applied.renameHandler).toBeGreaterThanOrEqual(25);
    expect(applied.renameVariable).toBeGreaterThanOrEqual(10);
  });
});
