// `npm run bench:lint`: what do replayable's configs add to the lint time of a project that
// already runs @eslint/js recommended + typescript-eslint's matching config?
//
//   a  @eslint/js recommended + typescript-eslint recommended
//   b  a + replayable recommended                                  limit b/a <= 1.2
//   c  @eslint/js recommended + typescript-eslint recommendedTypeChecked (project service)
//   d  c + replayable recommended-type-checked                     limit d/c <= 1.3
//
// One generated corpus (bench/lint-corpus.mjs), written as a TypeScript program (tsconfig.json
// over every file, the schema modules the handlers import, declarations for the AWS SDK
// clients) into `.bench-corpus/` under the repo, so that module resolution finds the repo's
// node_modules (the AWS durable SDK's real types) and `replayable` (by self-reference, from
// dist/). Only the 1,000 handler files are linted, by all four configurations.
//
// Untyped runs (a, b): one ESLint instance per configuration in this process, no cache.
// Type-aware runs (c, d): every run in a fresh child process (this script with --typed-run),
// as `eslint .` runs in CI: a cold TypeScript program each time, and no memory carried over.
// In one process, a type-aware run's program stays reachable after the run, even after
// typescript-eslint's clearCaches() (measured: with one ESLint instance per configuration
// two stale programs stay alive, with a new instance per run one more piles up every run),
// so later runs would pay for marking stale programs and the heap would grow toward its
// limit; without clearing, runs after the first would reuse a warm program and checker.
// The child times lintFiles() only, not its start-up.
// Per comparison: a warm-up run of each side (its findings double as a sanity check), then
// alternating measured runs (x, y, x, y, ...) so drift (thermal, other load) hits both
// sides alike. Reports median and min of wall and CPU time, and the ratio of medians.
//
// Duration: on 2 cores (AMD EPYC, Node 20) an a/b run of 1,000 files takes 15-20 s and a
// c/d run (cold program) 45-60 s; with the defaults the whole command took 14 minutes under
// moderate load (warm-ups and start-ups included), within the 25 minutes we allow it. Each
// type-aware child peaks at about 1.5-2 GB resident.
//
// Options (environment): BENCH_RUNS (measured runs per configuration of a/b, default 5,
// min 3), BENCH_TYPED_RUNS (measured runs per configuration of c/d, default 5, min 1),
// BENCH_FILES (corpus size, default 1000), BENCH_ONLY=typed (only c/d) or BENCH_ONLY=untyped
// (only a/b), BENCH_KEEP=1 keeps the corpus directory.
//
// The type-aware comparison alone, on all 1,000 files (about 12 minutes on 2 cores with the
// default 5 runs, 5 with BENCH_TYPED_RUNS=1):  BENCH_ONLY=typed npm run bench:lint
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import js from "@eslint/js";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import ts from "typescript";
import replayable from "replayable/eslint-plugin";
import { generateCorpus, generateProgramFiles } from "./lint-corpus.mjs";

const LIMIT = 1.2;
const TYPED_LIMIT = 1.3;
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const TYPED_RUNS = Math.max(1, Number(process.env.BENCH_TYPED_RUNS ?? 5));
const FILES = Math.max(1, Number(process.env.BENCH_FILES ?? 1000));
const ONLY = process.env.BENCH_ONLY ?? "";
if (!["", "typed", "untyped"].includes(ONLY)) {
  console.error(`BENCH_ONLY=${ONLY} is not understood: use BENCH_ONLY=typed (only the type-aware c/d comparison), BENCH_ONLY=untyped (only a/b), or leave it unset for both`);
  process.exit(2);
}
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS_PARENT = path.join(REPO, ".bench-corpus");
const SCRIPT = fileURLToPath(import.meta.url);

// A full collection before every measured run, so one configuration's garbage is never
// collected on the other's clock (alternating runs would otherwise charge b's garbage to a).
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc");

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const loadAverage = () => os.loadavg().map((load) => load.toFixed(2)).join(", ");

async function main() {
  const benchStarted = performance.now();
  const cpus = os.cpus();
  console.log("replayable lint benchmark");
  console.log(`machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`);
  console.log(`load average at start: ${loadAverage()} (1, 5, 15 min)`);
  console.log(`runtime: node ${process.version}, eslint ${ESLint.version}, typescript ${ts.version}, typescript-eslint ${tseslint.configs.base.languageOptions?.parser?.meta?.version ?? "8"}`);
  console.log(
    `runs: ${ONLY === "typed" ? "a/b skipped (BENCH_ONLY=typed)" : `a/b warm-up + ${RUNS} each`}, ${ONLY === "untyped" ? "c/d skipped (BENCH_ONLY=untyped)" : `c/d warm-up + ${TYPED_RUNS} each`} (a type-aware run of 1,000 files takes about a minute on 2 cores; ` +
      `with the defaults the whole benchmark takes about 15 minutes, under 25 on a loaded machine)`,
  );

  const corpus = generateCorpus({ files: FILES });
  const support = generateProgramFiles();
  mkdirSync(CORPUS_PARENT, { recursive: true });
  const directory = mkdtempSync(path.join(CORPUS_PARENT, "lint-"));
  // Interrupted (Ctrl-C, kill): remove the corpus all the same; the `finally` below would not run.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      activeChild?.kill();
      if (process.env.BENCH_KEEP !== "1") removeCorpus(directory);
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  try {
    for (const file of [...corpus, ...support]) {
      const target = path.join(directory, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.text);
    }
    const totalLines = corpus.reduce((sum, file) => sum + file.lines, 0);
    const lineCounts = corpus.map((file) => file.lines);
    const dirty = corpus.filter((file) => file.expectedFindings > 0);
    const expected = corpus.reduce((sum, file) => sum + file.expectedFindings, 0);
    console.log(
      `corpus:  ${corpus.length} handler files (each with the ordinary code around its handler), ${totalLines} lines (${Math.min(...lineCounts)}-${Math.max(...lineCounts)} per file), ` +
        `${dirty.length} files with ${expected} planted mistakes, in ${directory}` +
        `\n         as a program: ${support.map((file) => file.path.split("/")[0]).filter((name, i, all) => all.indexOf(name) === i).join(", ")} (not linted)`,
    );

    const configurations = configurationsFor(directory);
    const instances = {
      a: new ESLint({ cwd: directory, overrideConfigFile: true, overrideConfig: configurations.a.config, cache: false }),
      b: new ESLint({ cwd: directory, overrideConfigFile: true, overrideConfig: configurations.b.config, cache: false }),
    };
    const lintOnce = async (key) => {
      if (configurations[key].typed) return lintInChild(key, directory);
      collectGarbage();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const results = await instances[key].lintFiles(["**/*.ts"]);
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000, results };
    };

    const comparisons = [
      ...(ONLY === "typed" ? [] : [{ base: "a", plus: "b", runs: RUNS, limit: LIMIT }]),
      ...(ONLY === "untyped" ? [] : [{ base: "c", plus: "d", runs: TYPED_RUNS, limit: TYPED_LIMIT }]),
    ];
    const summaries = [];
    for (const comparison of comparisons) {
      summaries.push(await compare(comparison, { configurations, lintOnce, corpus, directory }));
    }

    console.log("\nsummary");
    for (const { base, plus, ratio, ratioOfMins, cpuRatio, limit, verdict } of summaries) {
      console.log(
        `  ratio ${plus}/${base}: ${ratio.toFixed(3)} (wall medians); ${ratioOfMins.toFixed(3)} (wall mins); ${cpuRatio.toFixed(3)} (cpu medians)` +
          ` -- limit ${limit} on the wall-median ratio: ${verdict}`,
      );
    }
    console.log(`load average at end: ${loadAverage()}; whole benchmark ${(performance.now() - benchStarted) / 60000 < 1 ? seconds(performance.now() - benchStarted) : `${((performance.now() - benchStarted) / 60000).toFixed(1)} min`}`);
    process.exitCode = summaries.every((summary) => summary.verdict === "PASS") ? 0 : 1;
  } finally {
    if (process.env.BENCH_KEEP === "1") console.log(`corpus kept in ${directory}`);
    else removeCorpus(directory);
  }
}

function removeCorpus(directory) {
  rmSync(directory, { recursive: true, force: true });
  try {
    rmdirSync(CORPUS_PARENT); // only when empty: another run may be using it
  } catch {}
}

/** The four configurations; c and d lint the corpus as a program with typescript-eslint's project service. */
function configurationsFor(directory) {
  // The program's support files (schemas, declarations) are part of the program, never linted.
  const handlersOnly = { name: "bench/handlers-only", ignores: ["schemas/**", "types/**"] };
  const typed = {
    name: "bench/project-service",
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: directory } },
  };
  const baseline = [handlersOnly, js.configs.recommended, ...tseslint.configs.recommended];
  const typedBaseline = [handlersOnly, js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, typed];
  return {
    a: { label: "a  @eslint/js recommended + typescript-eslint recommended", config: baseline },
    b: { label: "b  a + replayable recommended", config: [...baseline, replayable.configs.recommended] },
    c: { label: "c  @eslint/js recommended + typescript-eslint recommendedTypeChecked (projectService)", config: typedBaseline, typed: true },
    d: {
      label: "d  c + replayable recommended-type-checked",
      config: [...typedBaseline, replayable.configs["recommended-type-checked"], typed],
      typed: true,
    },
  };
}

/** The child process of the type-aware run in progress, if any. */
let activeChild;

/** One type-aware run in a fresh process; resolves with its timings and (compact) results. */
function lintInChild(key, directory) {
  return new Promise((resolve, reject) => {
    const child = fork(SCRIPT, ["--typed-run", key, directory], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    activeChild = child;
    let reply;
    child.on("message", (message) => (reply = message));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      activeChild = undefined;
      if (code === 0 && reply) resolve(reply);
      else reject(new Error(`type-aware run ${key} failed (exit ${code ?? signal})`));
    });
  });
}

/** The child side of lintInChild: lint once, report timings, peak memory and what checkCorpus needs. */
async function typedRun(key, directory) {
  process.once("disconnect", () => process.exit(1)); // the benchmark was interrupted
  const eslint = new ESLint({ cwd: directory, overrideConfigFile: true, overrideConfig: configurationsFor(directory)[key].config, cache: false });
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const results = await eslint.lintFiles(["**/*.ts"]);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.send(
    {
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      results: results.map(({ filePath, messages }) => ({
        filePath,
        messages: messages.map(({ ruleId, fatal, message }) => ({ ruleId, fatal, message })),
      })),
    },
    () => process.exit(0),
  );
}

/** One comparison: warm-up of both sides, then alternating measured runs; prints and returns the figures. */
async function compare({ base, plus, runs, limit }, { configurations, lintOnce, corpus, directory }) {
  const keys = [base, plus];
  console.log(`\n== ${base}/${plus} (load average ${loadAverage()})`);
  // Warm-up: JIT, module loading, parser caches. Its results double as a sanity check.
  const warm = {};
  for (const key of keys) warm[key] = await lintOnce(key);
  console.log(`warm-up: ${keys.map((key) => `${key} ${seconds(warm[key].ms)}`).join(", ")}`);
  checkCorpus(corpus, directory, warm[base].results, warm[plus].results);

  // Wall time is what a user waits for. Process CPU time (user + system, including GC
  // threads) is printed next to it: on a shared machine it is less disturbed by other
  // processes, so a wall ratio far from the CPU ratio means the run was noisy.
  const times = { [base]: [], [plus]: [] };
  const cpuTimes = { [base]: [], [plus]: [] };
  for (let run = 0; run < runs; run++) {
    const rss = [];
    for (const key of keys) {
      const measured = await lintOnce(key);
      times[key].push(measured.ms);
      cpuTimes[key].push(measured.cpuMs);
      if (measured.maxRssMb) rss.push(`${key} ${(measured.maxRssMb / 1024).toFixed(1)} GB`);
    }
    console.log(
      `run ${run + 1}/${runs}: ` +
        keys.map((key) => `${key} ${seconds(times[key].at(-1))} (cpu ${seconds(cpuTimes[key].at(-1))})`).join(", ") +
        `; load ${os.loadavg()[0].toFixed(2)}` +
        (rss.length ? `; peak rss ${rss.join(", ")}` : ""),
    );
  }

  console.log("");
  for (const key of keys) {
    const values = times[key];
    console.log(
      `${configurations[key].label}\n   wall median ${seconds(median(values))}, min ${seconds(Math.min(...values))}` +
        ` (${(median(values) / corpus.length).toFixed(2)} ms/file); cpu median ${seconds(median(cpuTimes[key]))}, min ${seconds(Math.min(...cpuTimes[key]))}`,
    );
  }
  const ratio = median(times[plus]) / median(times[base]);
  const ratioOfMins = Math.min(...times[plus]) / Math.min(...times[base]);
  const cpuRatio = median(cpuTimes[plus]) / median(cpuTimes[base]);
  const spread = Math.max(...keys.map((key) => (Math.max(...times[key]) - Math.min(...times[key])) / median(times[key])));
  if (spread > 0.15) {
    console.log(`\nnote: runs of one configuration differ by up to ${(spread * 100).toFixed(0)}% of their median: the machine was busy; compare the cpu ratio, or rerun.`);
  }
  const verdict = ratio <= limit ? "PASS" : "FAIL";
  console.log(
    `\nratio ${plus}/${base}: ${ratio.toFixed(3)} (wall medians); ${ratioOfMins.toFixed(3)} (wall mins); ${cpuRatio.toFixed(3)} (cpu medians)` +
      `\nlimit ${limit} on the wall-median ratio: ${verdict}`,
  );
  return { base, plus, ratio, ratioOfMins, cpuRatio, limit, verdict };
}

/**
 * The timing means nothing if the plugin silently did nothing (or too much): compare its
 * findings with the mistakes the generator planted, and make sure both configs parsed
 * every file (for the type-aware configs: found every file in the program).
 */
function checkCorpus(corpus, directory, resultsBase, resultsPlus) {
  const fatal = [...resultsBase, ...resultsPlus].filter((result) => result.messages.some((message) => message.fatal));
  if (fatal.length > 0) {
    throw new Error(`ESLint could not parse ${fatal.length} corpus files, e.g. ${fatal[0].filePath}: ${fatal[0].messages.find((m) => m.fatal).message}`);
  }
  if (resultsBase.length !== corpus.length || resultsPlus.length !== corpus.length) {
    throw new Error(`expected ${corpus.length} linted files, got ${resultsBase.length} and ${resultsPlus.length}`);
  }
  const byFile = new Map(corpus.map((file) => [file.path, file.expectedFindings]));
  const mismatches = [];
  let found = 0;
  const perRule = new Map();
  for (const result of resultsPlus) {
    const ours = result.messages.filter((message) => message.ruleId?.startsWith("replayable/"));
    found += ours.length;
    for (const message of ours) perRule.set(message.ruleId, (perRule.get(message.ruleId) ?? 0) + 1);
    const relative = path.relative(directory, result.filePath).split(path.sep).join("/");
    const expected = byFile.get(relative);
    if (expected !== ours.length) mismatches.push(`${relative}: expected ${expected}, found ${ours.length}`);
  }
  const baselineMessages = resultsBase.reduce((sum, result) => sum + result.messages.length, 0);
  console.log(
    `findings: baseline rules ${baselineMessages}; replayable ${found} (` +
      [...perRule].map(([rule, count]) => `${rule.replace("replayable/", "")} ${count}`).join(", ") +
      ")",
  );
  if (mismatches.length > 0) {
    console.log(`WARNING: ${mismatches.length} files where replayable's findings differ from the planted mistakes:`);
    for (const line of mismatches.slice(0, 10)) console.log(`  ${line}`);
  }
}

if (process.argv[2] === "--typed-run") {
  typedRun(process.argv[3], path.resolve(process.argv[4])).catch((error) => {
    console.error(`type-aware run ${process.argv[3]} failed:`, error);
    process.exit(2);
  });
} else {
  main().catch((error) => {
    console.error("bench:lint failed:", error);
    process.exitCode = 2;
  });
}
