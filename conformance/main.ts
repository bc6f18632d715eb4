// Runs the conformance requirements on the in-process test-runner targets and prints one line
// per suite and a last line "N passed, N failed" per target.
//
//   npx tsx conformance/main.ts [--target replayable-test-runner|aws-test-runner] [--suite step,wait]
//                               [--id 1-11,4-9] [--dir <requirements>] [--plugin] [--verbose] [--json <file>]
//
// Exit code 1 when a requirement failed. The engine's targets are added beside these.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatHistory, type HistoryEvent } from "./history.js";
import { DEFAULT_REQUIREMENTS_DIR, loadRequirements } from "./requirements.js";
import { describeReport, runRequirements, summarize, type RequirementReport } from "./run.js";
import type { ConformanceTarget } from "./target.js";
import { awsTestRunnerTarget, replayableTestRunnerTarget } from "./targets/local-runners.js";

const { values } = parseArgs({
  options: {
    target: { type: "string", multiple: true },
    suite: { type: "string" },
    id: { type: "string" },
    dir: { type: "string" },
    plugin: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    json: { type: "string" },
  },
});

const targets: ConformanceTarget[] = [replayableTestRunnerTarget(), awsTestRunnerTarget()].filter((t) => !values.target || values.target.includes(t.name));
if (targets.length === 0) {
  console.error(`Unknown target ${values.target?.join(", ")}; known: replayable-test-runner, aws-test-runner`);
  process.exit(2);
}
let requirements = loadRequirements(values.dir ?? DEFAULT_REQUIREMENTS_DIR, { suites: values.suite?.split(",") });
// The plugin suite is optional until the plugin API is mirrored.
if (!values.plugin && !values.suite) requirements = requirements.filter((r) => r.suite !== "plugin");
if (values.id) {
  const ids = values.id.split(",");
  requirements = requirements.filter((r) => ids.includes(r.id));
}

const all: RequirementReport[] = [];
let failed = false;
for (const target of targets) {
  const reports = await runRequirements(requirements, target);
  all.push(...reports);
  for (const r of reports) {
    const bad = r.verdict === "failed" || r.verdict === "error";
    if (bad || (values.verbose && (r.mismatches.length > 0 || r.verdict === "skipped"))) {
      console.log(describeReport(r));
      if (values.verbose && r.outcome?.history) console.log(formatHistory(r.outcome.history as HistoryEvent[]).replace(/^/gm, "    "));
    }
    failed ||= bad;
  }
  console.log(summarize(reports));
}
if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2));
process.exit(failed ? 1 : 0);
