// Lints examples/ with replayable's `recommended` config and formats the findings.
// Used by scripts/demo.mjs (with the built plugin) and test/demo.test.ts (with the source
// plugin), so what the demo prints is what the test checks.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");

/**
 * Runs ESLint's Node API over the examples with only `plugin.configs.recommended`
 * (no project eslint.config is read). Returns the results sorted by file path.
 */
export async function lintExamples({ plugin, directory = EXAMPLES_DIR } = {}) {
  if (!plugin?.configs?.recommended) throw new TypeError("lintExamples needs the replayable ESLint plugin");
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.recommended],
    cache: false,
  });
  const results = await eslint.lintFiles([path.join(directory, "**/*.ts")]);
  return results.sort((a, b) => a.filePath.localeCompare(b.filePath));
}

/**
 * The findings each example announces with trailing `// expect: rule[, rule...]`
 * comments on the reported line (the format of fixtures/lint). Returns "line:rule" keys.
 */
export function expectedFindings(text) {
  const expected = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const match = /\/\/\s*expect:\s*(.+?)\s*$/.exec(line);
    if (!match) return;
    for (const rule of match[1].split(",")) expected.push(`${index + 1}:${rule.trim().replace(/^replayable\//, "")}`);
  });
  return expected.sort(compareKeys);
}

/** What ESLint reported for one file, as "line:rule" keys (rule without the plugin prefix). */
export function actualFindings(result) {
  return result.messages
    .map((message) => `${message.line}:${(message.ruleId ?? "fatal").replace(/^replayable\//, "")}`)
    .sort(compareKeys);
}

function compareKeys(a, b) {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b);
}

/** Counts per rule, errors and warnings over all results. */
export function summarize(results) {
  const perRule = new Map();
  let errors = 0;
  let warnings = 0;
  let filesWithFindings = 0;
  for (const result of results) {
    if (result.messages.length > 0) filesWithFindings++;
    for (const message of result.messages) {
      const rule = message.ruleId ?? "fatal";
      perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
      if (message.severity === 2) errors++;
      else warnings++;
    }
  }
  return { files: results.length, filesWithFindings, errors, warnings, perRule };
}

const plain = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, cyan: (s) => s, underline: (s) => s };
const ansi = (open, close) => (s) => `\u001b[${open}m${s}\u001b[${close}m`;
const colored = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  green: ansi(32, 39),
  cyan: ansi(36, 39),
  underline: ansi(4, 24),
};

/**
 * Formats results like ESLint's stylish formatter, with room for long messages: per file,
 * `line:col  severity  rule`, the message wrapped below it, then each suggestion.
 */
export function formatResults(results, { color = false, width = 100, cwd = REPO_ROOT } = {}) {
  const c = color ? colored : plain;
  const lines = [];
  for (const result of results) {
    const file = path.relative(cwd, result.filePath);
    if (result.messages.length === 0) {
      lines.push(`${c.underline(file)}  ${c.green("no findings")}`, "");
      continue;
    }
    const counts = summarize([result]);
    lines.push(`${c.underline(file)}  ${c.dim(plural(counts.errors, "error") + ", " + plural(counts.warnings, "warning"))}`);
    for (const message of result.messages) {
      const position = `${message.line}:${message.column}`.padStart(6);
      const severity = message.severity === 2 ? c.red("error  ") : c.yellow("warning");
      lines.push(`${position}  ${severity}  ${c.bold(message.ruleId ?? "fatal parse error")}`);
      const indent = " ".repeat(8);
      for (const text of wrap(message.message, width - indent.length)) lines.push(indent + text);
      for (const suggestion of message.suggestions ?? []) {
        const [first, ...rest] = wrap(suggestion.desc, width - indent.length - 14);
        lines.push(`${indent}${c.cyan("suggestion:")}   ${first}`);
        for (const text of rest) lines.push(`${indent}${" ".repeat(14)}${text}`);
      }
    }
    lines.push("");
  }
  const summary = summarize(results);
  const total = summary.errors + summary.warnings;
  const mark = total === 0 ? c.green("✔") : summary.errors > 0 ? c.red("✖") : c.yellow("⚠");
  lines.push(
    c.bold(
      `${mark} ${plural(total, "finding")} (${plural(summary.errors, "error")}, ${plural(summary.warnings, "warning")}) in ${summary.filesWithFindings} of ${plural(summary.files, "file")}`,
    ),
  );
  const byRule = [...summary.perRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (byRule.length > 0) lines.push(`  by rule: ${byRule.map(([rule, count]) => `${rule} ${count}`).join(", ")}`);
  return lines.join("\n");
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function wrap(text, width) {
  const out = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}
