// Runs requirements on a target and judges the outcome: the requirement's variables are
// generated for the run and substituted into its input and callback actions, the handler is
// found by requirement id (handlers/<suite>/<id>.ts), and the result and history are compared
// with the expected ones (match.ts).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { invokeTargets } from "./invoke-targets.js";
import { matchLogs } from "./logs.js";
import { matchHistory, matchResult, resolveVariables, type Mismatch } from "./match.js";
import type { Requirement } from "./requirements.js";
import type { ConformanceTarget, InvokeTarget, RequirementNeed, RunOutcome } from "./target.js";

// The AWS testing library fakes the global timers and clock while its test environment is set
// up (time skipping); the harness keeps the real ones, taken when this module loads.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow = Date.now;

export const HANDLERS_DIR = join(dirname(fileURLToPath(import.meta.url)), "handlers");

export type Comparison = "matched" | "mismatched" | "not-compared";

export interface RequirementReport {
  id: string;
  suite: string;
  target: string;
  optional: boolean;
  /**
   * passed: everything compared matched; failed: the result, or a faithful history, did not;
   * skipped: not run (no handler, or a need the target cannot serve; see `reason`);
   * error: the run itself broke (see `reason`).
   */
  verdict: "passed" | "failed" | "skipped" | "error";
  reason?: string | undefined;
  result: Comparison;
  history: Comparison;
  /** ExpectedLogs against the captured output (not compared when the target captures none, or the requirement has none). */
  logs: Comparison;
  /** The history compared is approximate (the AWS testing library's): its mismatches do not fail the requirement. */
  historyApproximate: boolean;
  mismatches: Mismatch[];
  notes: string[];
  outcome?: RunOutcome | undefined;
  bindings: Record<string, unknown>;
  durationMs: number;
}

export interface RunRequirementOptions {
  handlersDir?: string;
  functions?: Record<string, InvokeTarget>;
  random?: () => number;
  /** Per requirement (default 30 s). */
  timeoutMs?: number;
}

export function handlerPathFor(req: Requirement, handlersDir = HANDLERS_DIR): string {
  return join(handlersDir, req.suite, `${req.id}.ts`);
}

/** What a requirement needs beyond the basics, read from its text. */
export function needsOf(req: Requirement): RequirementNeed[] {
  const text = JSON.stringify(req.raw);
  const needs: RequirementNeed[] = [];
  if (/Runtime\.ExitError|process\.exit|Lambda crash/i.test(text)) needs.push("process-crash");
  if (req.suite === "plugin" || /instrumentation\s+plugin/i.test(req.handler)) needs.push("plugin");
  return needs;
}

export async function runRequirement(req: Requirement, target: ConformanceTarget, options: RunRequirementOptions = {}): Promise<RequirementReport> {
  const started = realNow();
  const bindings = resolveVariables(req.variables, { random: options.random });
  const report = (fields: Partial<RequirementReport> & Pick<RequirementReport, "verdict">): RequirementReport => ({
    id: req.id,
    suite: req.suite,
    target: target.name,
    optional: req.optional,
    result: "not-compared",
    history: "not-compared",
    logs: "not-compared",
    historyApproximate: false,
    mismatches: [],
    notes: [],
    bindings: bindings.toJSON(),
    durationMs: realNow() - started,
    ...fields,
  });

  const handlerPath = handlerPathFor(req, options.handlersDir);
  if (!existsSync(handlerPath)) return report({ verdict: "skipped", reason: `no handler at ${handlerPath}` });
  for (const need of needsOf(req)) {
    const why = target.unsupported?.[need];
    if (why) return report({ verdict: "skipped", reason: `needs ${need}: ${why}` });
  }

  const input = bindings.substitute(req.input);
  const actions = req.callbackActions.map((a) => ({ ...a, CallbackName: String(bindings.substitute(a.CallbackName)), Payload: bindings.substitute(a.Payload) }));
  let outcome: RunOutcome;
  try {
    outcome = await withTimeout(
      target.run(req, handlerPath, input, actions, { functions: options.functions ?? invokeTargets, historyOnly: req.expectedResult === undefined }),
      options.timeoutMs ?? 30_000,
      `${req.id} on ${target.name}`,
    );
  } catch (error) {
    return report({ verdict: "error", reason: (error as Error).stack ?? String(error) });
  }

  const notes = [...(outcome.notes ?? [])];
  if (req.expectedLogs && !outcome.logs) notes.push("ExpectedLogs not compared (no log capture on this target)");
  // As AWS's runner: the history first (binding placeholders), then the result.
  let history: Comparison = "not-compared";
  let historyMismatches: Mismatch[] = [];
  if (outcome.history && req.expectedHistory.length > 0) {
    historyMismatches = matchHistory(req.expectedHistory, outcome.history, bindings);
    history = historyMismatches.length ? "mismatched" : "matched";
  } else if (!outcome.history) notes.push("history not available on this target");
  const resultMismatches = matchResult(req.expectedResult, outcome, bindings);
  const result: Comparison = req.expectedResult ? (resultMismatches.length ? "mismatched" : "matched") : "not-compared";
  // After the history: the logs name operations by the ids the history bound (${ID1}).
  const logMismatches = req.expectedLogs && outcome.logs ? matchLogs(req.expectedLogs, outcome.logs, bindings) : [];
  const logs: Comparison = req.expectedLogs && outcome.logs ? (logMismatches.length ? "mismatched" : "matched") : "not-compared";
  const approximate = outcome.historyFidelity === "approximate";
  const failed = result === "mismatched" || logs === "mismatched" || (history === "mismatched" && !approximate);
  return report({
    verdict: failed ? "failed" : "passed",
    result,
    history,
    logs,
    historyApproximate: approximate,
    mismatches: [...resultMismatches, ...historyMismatches, ...logMismatches],
    notes,
    outcome,
  });
}

/** Runs requirements one after another on one target (setup and teardown around them). */
export async function runRequirements(reqs: Requirement[], target: ConformanceTarget, options: RunRequirementOptions = {}): Promise<RequirementReport[]> {
  await target.setup?.();
  try {
    const reports: RequirementReport[] = [];
    for (const req of reqs) reports.push(await runRequirement(req, target, options));
    return reports;
  } finally {
    await target.teardown?.();
  }
}

/** One line per suite and a last line "N passed, N failed", as `npm run conformance` prints. */
export function summarize(reports: RequirementReport[]): string {
  const suites = new Map<string, RequirementReport[]>();
  for (const r of reports) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
  const count = (rs: RequirementReport[], v: RequirementReport["verdict"]) => rs.filter((r) => r.verdict === v).length;
  const lines = [...suites].map(([suite, rs]) => {
    const parts = [`${count(rs, "passed")} passed`, `${count(rs, "failed")} failed`];
    if (count(rs, "error")) parts.push(`${count(rs, "error")} errors`);
    if (count(rs, "skipped")) parts.push(`${count(rs, "skipped")} skipped`);
    const failing = rs.filter((r) => r.verdict === "failed" || r.verdict === "error").map((r) => r.id);
    return `${suite.padEnd(20)} ${parts.join(", ")}${failing.length ? `  (${failing.join(" ")})` : ""}`;
  });
  const target = reports[0]?.target ?? "";
  lines.push(`${target ? `${target}: ` : ""}${count(reports, "passed")} passed, ${count(reports, "failed") + count(reports, "error")} failed${count(reports, "skipped") ? `, ${count(reports, "skipped")} skipped` : ""}`);
  return lines.join("\n");
}

/** A report's mismatches and notes, for a failure message. */
export function describeReport(r: RequirementReport): string {
  const head = `${r.id} (${r.suite}) on ${r.target}: ${r.verdict}${r.reason ? ` — ${r.reason}` : ""}`;
  return [head, ...r.mismatches.map((m) => `  ${m.message}`), ...r.notes.map((n) => `  note: ${n}`)].join("\n");
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof realSetTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = realSetTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    realClearTimeout(timer);
  }
}
