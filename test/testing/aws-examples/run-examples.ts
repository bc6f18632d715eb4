// Runs AWS's example tests in a child vitest process (vitest.config.ts beside this file) on
// one target and returns each test's outcome, keyed "<file under src/examples> > <full name>".
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { examplesRoot } from "./examples-root.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "../../..");

export interface ExampleOutcome {
  status: "passed" | "failed" | "skipped";
  /** First line of the failure, for failed tests. */
  message?: string;
}

interface JsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

const firstLine = (text: string | undefined) => (text ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";

/**
 * Example test files that sleep 5-20 s of real time by design (a step that waits 10 s, a test on
 * real time): left out of `npm test` to keep it short, run by `npm run test:aws-examples`.
 */
export const SLOW_EXAMPLE_FILES = [
  "force-checkpointing/callback/",
  "force-checkpointing/invoke/",
  "force-checkpointing/multiple-wait/",
  "force-checkpointing/step-retry/",
  "concurrent/wait/",
  "parallel/wait/",
];

export async function runExamples(target: "official" | "replayable", options: { skipSlow?: boolean } = {}): Promise<Map<string, ExampleOutcome>> {
  const dir = mkdtempSync(path.join(tmpdir(), "aws-examples-"));
  const report = path.join(dir, "report.json");
  try {
    const child = spawn(
      process.execPath,
      [
        path.join(projectRoot, "node_modules/vitest/vitest.mjs"),
        "run",
        "--config",
        path.join(here, "vitest.config.ts"),
        "--reporter=json",
        `--outputFile=${report}`,
        ...(options.skipSlow ? SLOW_EXAMPLE_FILES.map((folder) => `--exclude=src/examples/${folder}**`) : []),
      ],
      { cwd: projectRoot, env: { ...process.env, AWS_EXAMPLES_TARGET: target }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", () => resolve());
    });
    let parsed: JsonReport;
    try {
      parsed = JSON.parse(readFileSync(report, "utf8"));
    } catch {
      throw new Error(`The examples' vitest run wrote no report; its stderr ended with:\n${stderr}`);
    }
    const outcomes = new Map<string, ExampleOutcome>();
    for (const file of parsed.testResults) {
      const relative = path.relative(path.join(examplesRoot, "src/examples"), file.name);
      // A file that fails before defining tests (an import it cannot resolve) counts as one failed entry.
      if (file.assertionResults.length === 0) outcomes.set(`${relative} > (file)`, { status: "failed", message: firstLine(file.message) });
      for (const test of file.assertionResults) {
        const status = test.status === "passed" ? "passed" : test.status === "failed" ? "failed" : "skipped";
        outcomes.set(`${relative} > ${test.fullName}`, status === "failed" ? { status, message: firstLine(test.failureMessages[0]) } : { status });
      }
    }
    return outcomes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
