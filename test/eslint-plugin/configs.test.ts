import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import plugin from "../../eslint-plugin/index.js";

const root = path.resolve(import.meta.dirname, "../..");
const ruleNames = Object.keys(plugin.rules);

describe("plugin", () => {
  it("gives every rule a doc page that exists, a description and a type", () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs!.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      expect(fs.existsSync(path.join(root, "docs/rules", `${name}.md`)), `docs/rules/${name}.md`).toBe(true);
      expect(rule.meta.docs!.description.length).toBeGreaterThan(20);
      expect(rule.meta.type).toBe("problem");
    }
  });

  it("enables every replay rule that needs no types in recommended, adds the typed ones in recommended-type-checked, and makes strict all errors with the style rules", () => {
    const needsTypes = (name: string) => plugin.rules[name as keyof typeof plugin.rules].meta.docs!.requiresTypeChecking;
    // Style rules report what behaves the same on every replay (test/eslint-plugin/replay-evidence.test.ts).
    const styleOnly = ["no-swallowed-suspension"];
    const recommended = plugin.configs.recommended.rules;
    const untyped = ruleNames.filter((name) => !needsTypes(name));
    expect(Object.keys(recommended).sort()).toEqual(untyped.filter((name) => !styleOnly.includes(name)).map((name) => `replayable/${name}`).sort());
    expect(Object.keys(plugin.configs["recommended-type-checked"].rules).sort()).toEqual(
      ruleNames.filter((name) => !styleOnly.includes(name)).map((name) => `replayable/${name}`).sort(),
    );
    expect(ruleNames.filter(needsTypes)).toEqual(["serializable-step-result"]);
    expect(Object.keys(plugin.configs.strict.rules).sort()).toEqual(untyped.map((name) => `replayable/${name}`).sort());
    expect(Object.values(plugin.configs.strict.rules).every((severity) => severity === "error")).toBe(true);
  });
});

describe("recommended-type-checked", () => {
  const project = path.join(root, "fixtures/typed-project");

  async function lint(config: object) {
    const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: [config] });
    const [result] = await eslint.lintFiles([path.join(project, "settle-order.ts")]);
    return result!.messages.map((message) => `${message.line}:${message.ruleId}`);
  }

  it("finds a handler whose DurableContext parameter is hidden behind a type alias in another file", async () => {
    const typeChecked = plugin.configs["recommended-type-checked"];
    const withTypes = {
      ...typeChecked,
      languageOptions: { ...typeChecked.languageOptions, parserOptions: { projectService: true, tsconfigRootDir: project } },
    };
    expect(await lint(withTypes)).toEqual([
      "4:replayable/no-nondeterminism-outside-step",
      // The step returns fetch()'s Response, which the JSON checkpoint cannot restore.
      "5:replayable/serializable-step-result",
    ]);
    // Parse-only analysis cannot see through the alias, so the same file is silent.
    expect(await lint(plugin.configs.recommended)).toEqual([]);
    // The first type-aware lint starts the project service: over 30 s under heavy load.
  }, 120_000);
});
