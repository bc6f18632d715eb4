import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../eslint-plugin/index.js";

const project = path.resolve(import.meta.dirname, "../../fixtures/typed-cross-file");

async function lintCheckout(config: object) {
  const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [config] });
  const [result] = await eslint.lintFiles([path.join(project, "src/checkout.ts")]);
  return result!.messages.map((message) => ({ line: message.line, rule: message.ruleId, message: message.message }));
}

const typeChecked = {
  ...plugin.configs["recommended-type-checked"],
  languageOptions: {
    ...plugin.configs["recommended-type-checked"].languageOptions,
    parserOptions: { projectService: true, tsconfigRootDir: project },
  },
};

describe("type-aware analysis across files", () => {
  it("follows imported helpers and awaited promises, and names where the hazard really is", async () => {
    const messages = await lintCheckout(typeChecked);
    expect(messages.map(({ line, rule }) => `${line}:${rule}`)).toEqual([
      // quote() does fetch() in lib/pricing.ts: reported at the call, naming the real place.
      "21:replayable/no-io-outside-step",
      // sendReceipt() comes from a declaration file: awaiting its promise outside a step is I/O.
      // (recordedQuote() records its own step, applyDiscount() and notifyWarehouse() are clean,
      // and ship() reaches the context through an object its type describes.)
      "26:replayable/no-io-outside-step",
    ]);
    expect(messages[0]!.message).toContain(
      "fetch() in lib/pricing.ts:10, in quote(), called from handler checkout at checkout.ts:21",
    );
    expect(messages[1]!.message).toContain("await sendReceipt(event.orderId)");
  });

  it("stays silent on the same file without type information, where imports cannot be followed", async () => {
    expect(await lintCheckout(plugin.configs.recommended)).toEqual([]);
  });
});
