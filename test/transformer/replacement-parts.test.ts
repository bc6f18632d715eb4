/**
 * A rewrite carries its text (what the text host writes) and the same expression in parts (what
 * the tsc host builds). This spells the parts back into text, for every rewrite of every golden
 * case, so the two can never drift apart unnoticed.
 */
import { describe, expect, it } from "vitest";
import { planForText, type PlannedEdit } from "../../transformer/index.js";
import { goldenCases } from "./golden.js";

type Rewrite = Extract<PlannedEdit, { kind: "rewrite" }>;

function spelled(rewrite: Rewrite, input: string): string {
  const { replacement } = rewrite;
  let text: string;
  if (replacement.kind === "helper") {
    const receiver = replacement.namespace === undefined ? replacement.context : `${replacement.namespace}.deterministic(${replacement.context})`;
    text = `${receiver}.${replacement.helper}()`;
  } else {
    const body = replacement.wrap === "new Date" ? "Date.now()" : input.slice(rewrite.start, rewrite.end);
    text = `await ${replacement.context}.step(${JSON.stringify(replacement.id)}, async () => ${body})`;
    if (replacement.wrap === "parentheses") text = `(${text})`;
  }
  return replacement.wrap === "new Date" ? `new Date(${text})` : text;
}

describe("a rewrite's parts spell its text", () => {
  const cases = goldenCases().map((testCase) => ({ testCase, rewrites: planForText(testCase.input, "input.ts", testCase.options).edits.filter((edit): edit is Rewrite => edit.kind === "rewrite") }));

  it("covers every kind of replacement and wrap", () => {
    const kinds = new Set(cases.flatMap(({ rewrites }) => rewrites.map((rewrite) => `${rewrite.replacement.kind}${"namespace" in rewrite.replacement && rewrite.replacement.namespace ? " deterministic" : ""} ${rewrite.replacement.wrap || "bare"}`)));
    expect([...kinds].sort()).toEqual(["helper bare", "helper deterministic bare", "helper new Date", "step bare", "step new Date", "step parentheses"]);
  });

  it.each(cases.filter(({ rewrites }) => rewrites.length > 0).map(({ testCase, rewrites }) => [testCase.name, testCase.input, rewrites] as const))("%s", (_name, input, rewrites) => {
    for (const rewrite of rewrites) expect(spelled(rewrite, input)).toBe(rewrite.text);
  });
});
