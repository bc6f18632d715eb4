import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../eslint-plugin/index.js";

const project = path.resolve(import.meta.dirname, "../../fixtures/typed-cross-file");

async function lintFiles(config: object, files: readonly string[]) {
  const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [config] });
  const results = await eslint.lintFiles(files.map((file) => path.join(project, file)));
  return results.flatMap((result) =>
    result.messages.map((message) => ({ at: `${path.relative(project, result.filePath)}:${message.line}`, rule: message.ruleId, message: message.message })),
  );
}

const lintCheckout = (config: object) => lintFiles(config, ["src/checkout.ts"]);

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
    expect(messages.map(({ at, rule }) => `${at} ${rule}`)).toEqual([
      // quote() does fetch() in lib/pricing.ts and holds no context: the call must move into a step,
      // so it is reported at the call, naming the real place.
      "src/checkout.ts:23 replayable/no-io-outside-step",
      // sendReceipt() comes from a declaration file: awaiting its promise outside a step is I/O.
      // (recordedQuote() records its own step, applyDiscount() and notifyWarehouse() are clean,
      // ship() reaches the context through an object its type describes, and debugLog() and
      // stampedQuote() are reported in their own files.)
      "src/checkout.ts:28 replayable/no-io-outside-step",
    ]);
    expect(messages[0]!.message).toContain("fetch() in src/lib/pricing.ts:10, in quote(), called from handler checkout at src/checkout.ts:23");
    expect(messages[1]!.message).toContain("await sendReceipt(event.orderId)");
    // The first type-aware lint starts the project service: over 30 s under heavy load.
  }, 120_000);

  it("reports a hazard fixed in a helper once, in the helper's file, with the chain of callers", async () => {
    const messages = await lintFiles(typeChecked, ["src/checkout.ts", "src/reorder.ts", "src/lib/audit.ts", "src/lib/debug-log.ts", "src/lib/pricing.ts"]);
    const inHelpers = messages.filter(({ at }) => at.startsWith("src/lib/"));
    expect(inHelpers.map(({ at, rule }) => `${at} ${rule}`)).toEqual([
      // Date.now() in auditStamp(), whose untyped ctx parameter the caller passes the context in.
      "src/lib/audit.ts:6 replayable/no-nondeterminism-outside-step",
      // console.log in debugLog(), called from both handlers: one report, where the one fix goes.
      "src/lib/debug-log.ts:3 replayable/replay-aware-logging",
      // Date.now() in stampedQuote(), which holds the context and can record the value itself.
      "src/lib/pricing.ts:21 replayable/no-nondeterminism-outside-step",
    ]);
    expect(inHelpers[0]!.message).toContain("Date.now() in auditStamp(), called from handler checkout at src/checkout.ts:31 ");
    expect(inHelpers[1]!.message).toContain("console.log() in debugLog(), called from handler checkout at src/checkout.ts:29 (and 1 other call)");
    expect(inHelpers[1]!.message).toContain("give this helper the durable context's logger");
    expect(inHelpers[2]!.message).toContain("Date.now() in stampedQuote(), called from handler checkout at src/checkout.ts:30 ");
    // None of them is reported again at the calls: the handlers' files keep only the calls of
    // quote() (in both) and the await of sendReceipt(), fixed at the call.
    expect(messages.filter(({ at }) => !at.startsWith("src/lib/")).map(({ at, rule }) => `${at} ${rule}`)).toEqual([
      "src/checkout.ts:23 replayable/no-io-outside-step",
      "src/checkout.ts:28 replayable/no-io-outside-step",
      "src/reorder.ts:6 replayable/no-io-outside-step",
    ]);
  });

  it("finds what reaches a helper's file when that file is linted alone", async () => {
    const messages = await lintFiles(typeChecked, ["src/lib/debug-log.ts"]);
    expect(messages.map(({ at, rule }) => `${at} ${rule}`)).toEqual(["src/lib/debug-log.ts:3 replayable/replay-aware-logging"]);
  });

  it("stays silent on the same files without type information, where imports cannot be followed", async () => {
    expect(await lintCheckout(plugin.configs.recommended)).toEqual([]);
    expect(await lintFiles(plugin.configs.recommended, ["src/lib/debug-log.ts"])).toEqual([]);
  });

  it("names the files of a chain relative to ESLint's working directory: two handler.ts in two folders stay apart", async () => {
    const folder = path.join(project, "same-names");
    const eslint = new ESLint({
      cwd: folder,
      overrideConfigFile: true,
      overrideConfig: [{ ...typeChecked, languageOptions: { ...typeChecked.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: folder } } } as object],
    });
    const results = await eslint.lintFiles(["orders/handler.ts", "refunds/handler.ts", "lib/trace.ts"].map((file) => path.join(folder, file)));
    const messages = results.flatMap((result) => result.messages.map((message) => `${path.relative(folder, result.filePath)}:${message.line} ${message.message}`));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^lib\/trace\.ts:3 console\.log\(\) in trace\(\), called from the handler at orders\/handler\.ts:5 \(and 1 other call\) /);
  }, 120_000);
});
