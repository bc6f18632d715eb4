/**
 * serializable-step-result needs types: the snippets below are linted with typescript-eslint's
 * project service as files of fixtures/typed-project, and the last suite lints that small
 * multi-file program through ESLint's Node API with `recommended-type-checked`, comparing the
 * reports with the `// expect:` comments written next to the code.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../../eslint-plugin/index.js";
import rule from "../../../eslint-plugin/rules/serializable-step-result.js";
import { createRuleTester, createTypedRuleTester } from "../rule-tester.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const PROJECT = path.join(ROOT, "fixtures/typed-project");

const typedRuleTester = createTypedRuleTester(PROJECT);
const parseOnlyRuleTester = createRuleTester();

const FIX = "return plain data (strings, numbers, ISO dates, arrays, plain objects), or pass a serdes in the step's config";
const holds = (source: string, part: string) => ({
  source: `The result of ${source}()`,
  where: "",
  problem: `holds ${part}, which the JSON checkpoint does not restore`,
  fix: FIX,
});

/** An AWS SDK handler with a typed context. */
function typedHandler(body: string, imports = ""): string {
  return `import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
${imports}
export const handler = withDurableExecution(async (event: { id: string; amount: number }, context: DurableContext) => {
${body}
});`;
}

typedRuleTester.run("serializable-step-result", rule, {
  valid: [
    // Plain data round-trips through JSON: strings, numbers, booleans, null, literal unions, arrays, tuples, records.
    typedHandler(`const order = await context.step("load", async () => ({
    id: event.id,
    amount: event.amount,
    paid: false,
    note: null,
    status: "open" as "open" | "closed",
    lines: [{ sku: "a", quantity: 1 }],
    pair: [1, "one"] as [number, string],
    totals: {} as Record<string, number>,
    placedAt: new Date().toISOString(),
  }));`),
    // A step that returns nothing, and an untyped (any) result: nothing to check.
    typedHandler(`await context.step("notify", async () => { await fetch("https://example.com"); });
  const body = await context.step("parse", async () => JSON.parse("{}"));`),
    // Dates may be used inside the step; only the result is checkpointed.
    typedHandler(`const due = await context.step("due", async () => new Date(Date.now() + 86_400_000).toISOString());`),
    // A custom serdes restores what JSON would not.
    typedHandler(`const at = await context.step("at", async () => new Date(), { serdes: dateSerdes });`, `import type { Serdes } from "@aws/durable-execution-sdk-js";
declare const dateSerdes: Serdes<Date>;`),
    // Outside any durable handler nothing is reported.
    `export async function plain(ctx: { step<T>(name: string, fn: () => Promise<T>): Promise<T> }) {
  return ctx.step("at", async () => new Date());
}`,
  ],
  invalid: [
    {
      // A Date comes back as a string on replay.
      code: typedHandler(`const at = await context.step("at", async () => new Date());`),
      errors: [{ messageId: "found", line: 4, column: 37, endColumn: 59, data: holds("context.step", "a Date") }],
    },
    {
      // Map and Set come back as {}, bigint does not serialize at all, a symbol and a function vanish.
      code: typedHandler(`const rates = await context.step("rates", async () => new Map<string, number>());
  const tags = await context.step("tags", async () => new Set(["a"]));
  const ledger = await context.step("ledger", async () => 10n);
  const marker = await context.step("marker", async () => Symbol("marker"));
  const format = await context.step("format", async () => (n: number) => n.toFixed(2));`),
      errors: [
        { messageId: "found", line: 4, column: 43, data: holds("context.step", "a Map") },
        { messageId: "found", line: 5, column: 43, data: holds("context.step", "a Set") },
        { messageId: "found", line: 6, column: 47, data: holds("context.step", "a bigint") },
        { messageId: "found", line: 7, column: 47, data: holds("context.step", "a symbol") },
        { messageId: "found", line: 8, column: 47, data: holds("context.step", "a function") },
      ],
    },
    {
      // A class instance loses its prototype: methods and instanceof are gone on replay.
      code: typedHandler(`const price = await context.step("price", async () => new Price(event.amount));`, `class Price {
  constructor(readonly cents: number) {}
  format() { return (this.cents / 100).toFixed(2); }
}`),
      errors: [{ messageId: "found", line: 7, column: 43, data: holds("context.step", "an instance of class Price") }],
    },
    {
      // Nested in objects and arrays, with the path to the offending part; Date | null is a Date when present.
      code: typedHandler(`const order = await context.step("order", async () => ({ id: event.id, placed: { at: new Date() } }));
  const history = await context.step("history", async () => [new Date()]);
  const shipments = await context.step("shipments", async () => ({ items: [{ sku: "a", tags: new Set<string>() }] }));
  const paidAt = await context.step("paid-at", async () => (event.amount > 0 ? new Date() : null));`),
      errors: [
        { messageId: "found", line: 4, column: 43, data: holds("context.step", "a Date at .placed.at") },
        { messageId: "found", line: 5, column: 49, data: holds("context.step", "a Date at []") },
        { messageId: "found", line: 6, column: 53, data: holds("context.step", "a Set at .items[].tags") },
        { messageId: "found", line: 7, column: 48, data: holds("context.step", "a Date") },
      ],
    },
    {
      // An object with a method: the method does not survive.
      code: typedHandler(`const cart = await context.step("cart", async () => ({ id: event.id, total() { return 1; } }));`),
      errors: [{ messageId: "found", line: 4, column: 41, data: holds("context.step", "a function (.total)") }],
    },
    {
      // A step function passed by reference, a child context's result, and a step in a child context.
      code: typedHandler(`const customer = await context.step("customer", loadCustomer);
  const summary = await context.runInChildContext("summary", async (child) => {
    const at = await child.step("at", async () => new Date());
    return { count: 1, seen: new Set<string>() };
  });`, `const loadCustomer = async () => ({ id: "c-1", since: new Date() });`),
      errors: [
        { messageId: "found", line: 4, column: 49, endColumn: 61, data: holds("context.step", "a Date at .since") },
        { messageId: "found", line: 5, column: 62, data: holds("context.runInChildContext", "a Set at .seen") },
        { messageId: "found", line: 6, column: 39, data: holds("child.step", "a Date") },
      ],
    },
  ],
});

// Without type information the rule has nothing to go on and stays silent.
parseOnlyRuleTester.run("serializable-step-result (without type information)", rule, {
  valid: [typedHandler(`const at = await context.step("at", async () => new Date());`)],
  invalid: [],
});

/** Harder cases found while reviewing the rule; each failed before the analysis handled it. */
describe("serializable-step-result: cases found in review", () => {
  typedRuleTester.run("serializable-step-result", rule, {
    valid: [
      // The serdes is in a config object held in a variable: it is a custom serdes all the same.
      typedHandler(`const config = { serdes: dateSerdes };
  const at = await context.step("at", async () => new Date(), config);`, `import type { Serdes } from "@aws/durable-execution-sdk-js";
declare const dateSerdes: Serdes<Date>;`),
    ],
    invalid: [
      {
        // An index signature (Record<string, Date>, { [id: string]: Date }) holding Dates: its
        // values come back as strings. Only declared properties are inspected today.
        code: typedHandler(`const seen = await context.step("seen", async () => ({}) as Record<string, Date>);`),
        errors: [{ messageId: "found", line: 4, column: 41 }],
      },
      {
        // Each map item (and each parallel branch) runs in a child context whose result is
        // checkpointed exactly like runInChildContext's.
        code: typedHandler(`const stamps = await context.map([1, 2], async (itemContext, item) => new Date(item));`),
        errors: [{ messageId: "found", line: 4, column: 42 }],
      },
    ],
  });
});

describe("serializable-step-result over a multi-file program (fixtures/typed-project)", () => {
  const FILES = ["issue-invoice.ts", "ledger.ts", "billing-types.ts"];

  async function lint(config: Linter.Config) {
    const eslint = new ESLint({ cwd: PROJECT, overrideConfigFile: true, overrideConfig: [config] });
    return eslint.lintFiles(FILES.map((file) => path.join(PROJECT, file)));
  }

  function withTypes(): Linter.Config {
    const typeChecked = plugin.configs["recommended-type-checked"];
    return {
      ...typeChecked,
      languageOptions: { ...typeChecked.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: PROJECT } },
    } as unknown as Linter.Config;
  }

  /** `// expect: rule-a, rule-b` at the end of a line, as in the lint corpus. */
  function expected(file: string): string[] {
    return readFileSync(path.join(PROJECT, file), "utf8")
      .split("\n")
      .flatMap((text, index) => {
        const match = /\/\/\s*expect:\s*(.+?)\s*$/.exec(text);
        return match ? match[1]!.split(",").map((rule) => `${file}:${index + 1} replayable/${rule.trim()}`) : [];
      });
  }

  it("reports exactly the step results written down, across files (imported loaders, step functions and helpers)", async () => {
    const results = await lint(withTypes());
    const reported = results.flatMap((result) =>
      result.messages.map((message) => `${path.basename(result.filePath)}:${message.line} ${message.ruleId ?? message.message}`),
    );
    expect(reported.sort()).toEqual(FILES.flatMap(expected).sort());
  });

  it("names the part that does not survive, as the type checker resolves it from the other file", async () => {
    const invoice = (await lint(withTypes())).find((result) => path.basename(result.filePath) === "issue-invoice.ts");
    const messages = invoice!.messages.map((message) => `${message.line}:${message.column} ${message.message}`);
    expect(messages).toContain(
      "15:54 The result of context.step() holds a Date at .issuedAt, which the JSON checkpoint does not restore: " +
        `the handler receives the deserialized value, not the type it declares; ${FIX}.`,
    );
    expect(messages.some((message) => message.startsWith("21:51 The result of context.step() holds an instance of class Money,"))).toBe(true);
    expect(messages.some((message) => message.startsWith("24:51 The result of context.step() holds a Map,"))).toBe(true);
  });

  it("is not part of `recommended`, which needs no types", async () => {
    const results = await lint(plugin.configs.recommended as unknown as Linter.Config);
    expect(results.flatMap((result) => result.messages)).toEqual([]);
  });
});
