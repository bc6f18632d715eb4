/**
 * AWS's example handlers (../shared/real-world/aws-examples, read in place, never copied) linted
 * as a new user would, with `recommended` and `recommended-type-checked`: the findings must be
 * exactly the ones in expected.ts, each with the reason it is a replay hazard.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import plugin from "../../../eslint-plugin/index.js";
import { FOREIGN_DIRECTIVE, RECOMMENDED, TYPE_CHECKED_ADDS, type ExpectedFinding } from "./expected.js";

const EXAMPLES = path.resolve(import.meta.dirname, "../../../../shared/real-world/aws-examples");
const PREFIX = "replayable/";

interface Linted {
  readonly findings: string[];
  /** Each finding's message, by its key. */
  readonly messages: Map<string, string>;
  readonly foreign: string[];
  readonly files: number;
}

async function lint(config: Linter.Config): Promise<Linted> {
  if (!existsSync(EXAMPLES)) throw new Error(`${EXAMPLES} is missing: it holds AWS's examples this test lints (see ../shared/real-world/README.md)`);
  const eslint = new ESLint({ cwd: EXAMPLES, overrideConfigFile: true, overrideConfig: [config] });
  const results = await eslint.lintFiles(["."]);
  const findings: string[] = [];
  const messages = new Map<string, string>();
  const foreign: string[] = [];
  for (const result of results) {
    const file = path.relative(EXAMPLES, result.filePath);
    for (const message of result.messages) {
      if (message.ruleId?.startsWith(PREFIX)) {
        const finding = key({ file, line: message.line, rule: message.ruleId.slice(PREFIX.length) });
        findings.push(finding);
        messages.set(finding, message.message);
      } else foreign.push(`${file}:${message.line} ${message.message}`);
    }
  }
  return { findings: findings.sort(), messages, foreign, files: results.length };
}

function key(finding: Pick<ExpectedFinding, "file" | "line" | "rule">): string {
  return `${finding.file}:${finding.line} ${finding.rule}`;
}

const typeChecked = plugin.configs["recommended-type-checked"];
let recommended: Linted;
let withTypes: Linted;

beforeAll(async () => {
  recommended = await lint(plugin.configs.recommended as unknown as Linter.Config);
  withTypes = await lint({
    ...typeChecked,
    languageOptions: { ...typeChecked.languageOptions, parserOptions: {
      // jest.config.js lies outside the folder's tsconfig, as typescript-eslint documents for such files.
      projectService: { allowDefaultProject: ["*.js"] },
      tsconfigRootDir: EXAMPLES,
    } },
  } as unknown as Linter.Config);
}, 240_000);

describe("AWS's example handlers", () => {
  it("are all linted, with only AWS's own eslint-disable directives reported besides our findings", () => {
    expect(recommended.files).toBeGreaterThanOrEqual(84);
    expect(recommended.foreign.filter((message) => !FOREIGN_DIRECTIVE.test(message.replace(/^\S+ /, "")))).toEqual([]);
    expect(withTypes.foreign.filter((message) => !FOREIGN_DIRECTIVE.test(message.replace(/^\S+ /, "")))).toEqual([]);
  });

  it("give exactly the expected findings with `recommended`", () => {
    expect(recommended.findings).toEqual(RECOMMENDED.map(key).sort());
  });

  it("give exactly the expected findings with `recommended-type-checked`", () => {
    expect(withTypes.findings).toEqual([...RECOMMENDED, ...TYPE_CHECKED_ADDS].map(key).sort());
  });

  it("has a reason for every expected finding", () => {
    for (const finding of [...RECOMMENDED, ...TYPE_CHECKED_ADDS]) expect(finding.reason.length, key(finding)).toBeGreaterThan(30);
  });

  it("reports log()'s console.log once, in logger.ts, with a chain of callers and the count of the others", () => {
    const [logFinding] = TYPE_CHECKED_ADDS;
    expect(readFileSync(path.join(EXAMPLES, logFinding!.file), "utf8").split("\n")[logFinding!.line - 1]).toContain("console.log(");
    expect(withTypes.messages.get(key(logFinding!))).toBe(
      "console.log() in log(), called from the handler at src/examples/block-example/block-example.ts:15 (and 64 other calls) is written again on every replay, duplicating the log; " +
        "give this helper the durable context's logger and log with it (context.logger is silent while replaying), or log only inside steps.",
    );
  });
});
