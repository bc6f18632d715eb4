// `npm run bench:transform`: what the transformer costs.
//
// 1. Per file: `transform(code, file)` (parse + analysis + edit plan + magic-string + source map)
//    over 1,000 generated handler files, against `ts.createSourceFile` alone on the same files.
//    Target: at most 1.5x.
// 2. Per project: a `tspc` build (ts-patch, TypeScript 6) of a 500-file project with the
//    plugin, against the same `tspc` build without it. Target: at most 1.15x.
//
// Runs alternate (a, b, a, b, ...) after a warm-up so drift hits both sides; medians and
// mins are printed with the ratio of medians (wall time; the target applies to it). Both also
// print the ratio of CPU-time medians (this process's for the per-file comparison, the tspc
// children's for the build), which other work on a loaded machine disturbs less. Environment:
// BENCH_RUNS (default 5), BENCH_FILES (default 1000), BENCH_PROJECT_FILES (default 500),
// BENCH_PROJECT_RUNS (tspc builds of each kind, default 11), BENCH_KEEP=1 keeps the project.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import { analyzeSourceFile } from "replayable/analysis";
import { planTransform, resolveOptions, transform } from "replayable/transformer";
import { handlerFile, TYPES_FILE } from "./transform-corpus.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const FILES = Math.max(1, Number(process.env.BENCH_FILES ?? 1000));
const PROJECT_FILES = Math.max(1, Number(process.env.BENCH_PROJECT_FILES ?? 500));
const PROJECT_RUNS = Math.max(3, Number(process.env.BENCH_PROJECT_RUNS ?? 11));

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** CPU time of this process (all its threads) in ms. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Clock ticks per second of /proc's times (getconf CLK_TCK; 100 on Linux). */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU time (user + system, all threads) of the child processes waited for so far, in ms, from
 * /proc/self/stat (cutime and cstime, in clock ticks); undefined where there is no /proc.
 */
function childCpuMs() {
  if (!existsSync("/proc/self/stat")) return undefined;
  const stat = readFileSync("/proc/self/stat", "utf8");
  // After "pid (comm) " (comm may itself hold ") "), field 3 (state) is index 0: cutime is field 16, cstime field 17.
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
}

/** Runs a and b alternately; `cpu` is the CPU clock to read around each run, if any. */
function alternate(label, a, b, runs, unit, limit, { cpu } = {}) {
  a();
  b();
  const timesA = [];
  const timesB = [];
  const cpuA = [];
  const cpuB = [];
  for (let run = 0; run < runs; run++) {
    let start = performance.now();
    let startCpu = cpu?.();
    a();
    timesA.push(performance.now() - start);
    if (cpu) cpuA.push(cpu() - startCpu);
    start = performance.now();
    startCpu = cpu?.();
    b();
    timesB.push(performance.now() - start);
    if (cpu) cpuB.push(cpu() - startCpu);
  }
  const ratio = median(timesB) / median(timesA);
  const minRatio = Math.min(...timesB) / Math.min(...timesA);
  // Each b run against the a run just before it: drift of the machine's speed over the whole
  // benchmark cancels out of these, so their spread shows the noise of a single comparison.
  const pairRatios = timesB.map((time, run) => time / timesA[run]).sort((x, y) => x - y);
  const format = (ms) => unit(ms);
  console.log(`${label}`);
  console.log(`  baseline     median ${format(median(timesA))}  min ${format(Math.min(...timesA))}${cpu ? `  (cpu median ${format(median(cpuA))})` : ""}`);
  console.log(`  transformer  median ${format(median(timesB))}  min ${format(Math.min(...timesB))}${cpu ? `  (cpu median ${format(median(cpuB))})` : ""}`);
  const cpuRatio = cpu ? `, cpu ${(median(cpuB) / median(cpuA)).toFixed(2)}x` : "";
  console.log(`  ratio of medians ${ratio.toFixed(2)}x, of mins ${minRatio.toFixed(2)}x${cpuRatio} (target <= ${limit}x) ${ratio <= limit ? "ok" : "OVER TARGET"}`);
  console.log(`  ratio of each pair of runs: median ${median(pairRatios).toFixed(2)}x, from ${pairRatios[0].toFixed(2)}x to ${pairRatios.at(-1).toFixed(2)}x, ${pairRatios.filter((pair) => pair <= limit).length} of ${runs} within the target`);
  return ratio;
}

function perFile() {
  const files = Array.from({ length: FILES }, (_, index) => ({ name: `/bench/src/workflow${index}.ts`, code: handlerFile(index) }));
  let edits = 0;
  for (const file of files) edits += transform(file.code, file.name).ids.length;
  console.log(`per-file: ${FILES} generated handler files, ${(files.reduce((sum, file) => sum + file.code.length, 0) / 1024).toFixed(0)} KiB, ${edits} durable operations named`);
  const perFileMs = (ms) => `${((ms / FILES) * 1000).toFixed(0)} us/file`;
  // Where the time goes: each stage over all files, best of RUNS.
  const parse = (file) => ts.createSourceFile(file.name, file.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const options = resolveOptions({});
  const best = (fn) => {
    let min = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const inputs = fn.prepare ? fn.prepare() : undefined;
      const start = performance.now();
      fn.run(inputs);
      min = Math.min(min, performance.now() - start);
    }
    return min;
  };
  // transform() parses without setParentNodes and links the parent pointers itself (the same
  // tree, cheaper): this line shows what that parse costs without any parent pointers.
  const parseWithoutParents = (file) => ts.createSourceFile(file.name, file.code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const stages = {
    "parse (createSourceFile)": best({ run: () => files.forEach(parse) }),
    "parse without parent pointers": best({ run: () => files.forEach(parseWithoutParents) }),
    "shared analysis, as transform() runs it": best({ prepare: () => files.map(parse), run: (parsed) => parsed.forEach((sourceFile) => analyzeSourceFile(sourceFile, { structure: false })) }),
    "edit plan (ids, decisions) incl. analysis": best({ prepare: () => files.map(parse), run: (parsed) => parsed.forEach((sourceFile) => planTransform(sourceFile, options)) }),
    "transform() without source map": best({ run: () => files.forEach((file) => transform(file.code, file.name, { sourceMap: false })) }),
    "transform() with source map": best({ run: () => files.forEach((file) => transform(file.code, file.name)) }),
  };
  console.log("where the time goes (best of runs):");
  for (const [stage, ms] of Object.entries(stages)) console.log(`  ${stage.padEnd(44)} ${perFileMs(ms)}`);
  return alternate(
    "transform() vs ts.createSourceFile() alone",
    () => {
      for (const file of files) ts.createSourceFile(file.name, file.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    },
    () => {
      for (const file of files) transform(file.code, file.name);
    },
    RUNS,
    perFileMs,
    1.5,
    { cpu: cpuMs },
  );
}

function project() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "replayable-bench-transform-"));
  mkdirSync(path.join(dir, "src"));
  mkdirSync(path.join(dir, "node_modules"));
  for (const name of ["typescript", "ts-patch", "replayable"]) {
    symlinkSync(name === "replayable" ? ROOT : path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
  writeFileSync(path.join(dir, "src/types.ts"), TYPES_FILE);
  for (let index = 0; index < PROJECT_FILES; index++) writeFileSync(path.join(dir, `src/workflow${index}.ts`), handlerFile(index));
  // The handlers import the SDKs by name; declare them so the project type-checks without installing them.
  writeFileSync(
    path.join(dir, "src/sdk.d.ts"),
    [
      'declare module "@aws/durable-execution-sdk-js" { export function withDurableExecution(fn: (event: any, context: any) => Promise<unknown>): unknown; }',
      "",
    ].join("\n"),
  );
  const compilerOptions = { rootDir: "src", target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noImplicitAny: false, skipLibCheck: true, types: [], lib: ["ES2022", "DOM"], outDir: "out", sourceMap: true };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(path.join(dir, "tsconfig.plain.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, outDir: "out-plain" }, include: ["src"] }));
  writeFileSync(
    path.join(dir, "tsconfig.plugin.json"),
    JSON.stringify({ compilerOptions: { ...compilerOptions, outDir: "out-plugin", plugins: [{ transform: "replayable/transformer", severity: "warning" }] }, include: ["src"] }),
  );
  const tspc = (config, ...flags) => {
    const run = spawnSync(process.execPath, [path.join(dir, "node_modules/ts-patch/bin/tspc.js"), "-p", config, ...flags], { cwd: dir, encoding: "utf8" });
    const errors = run.stdout.split("\n").filter((line) => / error TS\d+/.test(line));
    if (run.status !== 0 && (errors.length > 0 || run.stderr)) throw new Error(`tspc -p ${config} failed:\n${errors.slice(0, 10).join("\n")}${run.stderr}`);
    return run.stdout;
  };
  console.log(`\nproject: ${PROJECT_FILES} handler files, tspc (ts-patch ${requireVersion("ts-patch")}, TypeScript ${ts.version}), full type check and emit`);
  try {
    const ratio = alternate("tspc with the plugin vs tspc without", () => tspc("tsconfig.plain.json"), () => tspc("tsconfig.plugin.json"), PROJECT_RUNS, (ms) => `${(ms / 1000).toFixed(2)} s`, 1.15, {
      cpu: childCpuMs() === undefined ? undefined : childCpuMs,
    });
    // Where the difference goes, by tsc's own timers (one more build of each, not timed above):
    // the plugin runs inside "transformTime"; "Total time" leaves out starting node and loading modules.
    const timers = (config) => {
      const lines = tspc(config, "--extendedDiagnostics").split("\n");
      const seconds = (name) => lines.find((line) => line.startsWith(`${name}:`))?.split(/\s+/).at(-1) ?? "?";
      return `Total time ${seconds("Total time")}, of which transformTime ${seconds("transformTime time")}, printTime ${seconds("printTime time")}`;
    };
    console.log(`  tsc's timers without the plugin: ${timers("tsconfig.plain.json")}`);
    console.log(`  tsc's timers with the plugin:    ${timers("tsconfig.plugin.json")}`);
    return ratio;
  } finally {
    if (process.env.BENCH_KEEP === "1") console.log(`  project kept at ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function requireVersion(name) {
  return JSON.parse(spawnSync(process.execPath, ["-p", `JSON.stringify(require("${name}/package.json"))`], { cwd: ROOT, encoding: "utf8" }).stdout).version;
}

console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${RUNS} runs`);
const fileRatio = perFile();
const projectRatio = project();
console.log(`\nsummary: per-file ${fileRatio.toFixed(2)}x (<= 1.5x), project build ${projectRatio.toFixed(2)}x (<= 1.15x)`);
