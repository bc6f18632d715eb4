// `npm run fuzz:corpus [-- --sample N] [--seed S] [--jobs N] [--timeout SECONDS] [--max-bytes N]
//                      [--timeout-per-mb SECONDS] [--filter REGEX] [--no-variant] [--no-eslint] [--impl dist|src]`
// --filter checks only the files whose path matches (to reproduce a finding).
//
// Runs replayable's shared analysis, its ESLint plugin (`recommended`, through ESLint's Linter)
// and its transformer over every .ts/.mts/.cts/.js/.mjs/.cjs file (.d.ts included) in this
// repository's node_modules: real code nobody here wrote. Each file is checked as it is and as a
// "handler variant" that makes its top-level functions durable handlers (see
// fuzz-corpus-checks.mjs). Requirements: no crash, no hang (per-file time limit; every file is
// checked in a child process), byte-identical output for files without durable handlers, and no
// new syntax errors in the transformer's output. The last line gives the figures; the exit code
// is 1 when any of them is not zero.
import { describeProblem, listCorpus, REPO_ROOT, runPool, sample } from "./fuzz-corpus-pool.mjs";

function parseArgs(argv) {
  const options = { sample: undefined, seed: 20261127, jobs: 2, timeout: 60, timeoutPerMb: 120, maxBytes: Infinity, filter: undefined, variant: true, eslint: true, impl: "dist" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const number = () => {
      const parsed = Number(value());
      if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${arg} needs a positive number`);
      return parsed;
    };
    if (arg === "--sample") options.sample = Math.floor(number());
    else if (arg === "--seed") options.seed = Math.floor(Number(value()));
    else if (arg === "--jobs") options.jobs = Math.floor(number());
    else if (arg === "--timeout") options.timeout = number();
    else if (arg === "--timeout-per-mb") options.timeoutPerMb = number();
    else if (arg === "--max-bytes") options.maxBytes = number();
    else if (arg === "--filter") options.filter = new RegExp(value());
    else if (arg === "--no-variant") options.variant = false;
    else if (arg === "--no-eslint") options.eslint = false;
    else if (arg === "--impl") options.impl = value();
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run fuzz:corpus -- [--sample N] [--seed S] [--jobs N] [--timeout SECONDS] [--timeout-per-mb SECONDS] [--max-bytes N] [--filter REGEX] [--no-variant] [--no-eslint] [--impl dist|src]");
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.impl !== "dist" && options.impl !== "src") throw new Error(`--impl must be dist or src`);
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const corpus = listCorpus().filter((entry) => !options.filter || options.filter.test(entry.file));
  const skipped = corpus.filter((entry) => entry.bytes > options.maxBytes);
  const eligible = corpus.filter((entry) => entry.bytes <= options.maxBytes);
  const files = options.sample === undefined ? eligible : sample(eligible, options.sample, options.seed);
  const totalBytes = files.reduce((sum, entry) => sum + entry.bytes, 0);

  console.log(
    `fuzz:corpus: ${corpus.length} corpus files in node_modules${options.filter ? ` matching ${options.filter}` : ""}; checking ${files.length}` +
      (options.sample === undefined ? "" : ` (sample, seed ${options.seed})`) +
      ` (${(totalBytes / 1e6).toFixed(1)} MB) with ${options.jobs} job(s), a limit per file of ${options.timeout} s + ${options.timeoutPerMb} s per MB, implementation ${options.impl}` +
      `${options.variant ? ", with handler variants" : ""}${options.eslint ? ", with ESLint" : ""}`,
  );
  for (const entry of skipped) console.log(`  skipped ${entry.file}: ${entry.bytes} bytes is over --max-bytes ${options.maxBytes}`);

  let lastPrint = 0;
  const slowest = [];
  const { summary } = await runPool(files, {
    jobs: options.jobs,
    timeoutMs: options.timeout * 1000,
    timeoutMsPerMb: options.timeoutPerMb * 1000,
    impl: options.impl,
    root: REPO_ROOT,
    variant: options.variant,
    eslint: options.eslint,
    onProgress: ({ done, total, summary, result }) => {
      slowest.push({ file: result.file, ms: result.ms ?? 0, stageMs: result.stageMs ?? {} });
      slowest.sort((a, b) => b.ms - a.ms);
      slowest.length = Math.min(slowest.length, 5);
      const problem = result.hang || result.crashes?.length || result.nonIdentical?.length || result.parseRegressions?.length || result.harnessError;
      if (problem) console.log(describeProblem(result));
      const now = performance.now();
      if (now - lastPrint > 5000 || done === total) {
        lastPrint = now;
        console.log(
          `[${done}/${total}] ${((now - started) / 1000).toFixed(0)} s  crashes ${summary.crashes}, hangs ${summary.hangs}, non-identical ${summary.nonIdentical}, parse regressions ${summary.parseRegressions}`,
        );
      }
    },
  });

  const seconds = (performance.now() - started) / 1000;
  console.log(
    `coverage: ${summary.filesWithHandlers} files with durable handlers as they are; in the variants, ${summary.variantHandlers} handlers, ` +
      `${summary.variantsRewritten} variants whose own code the transformer rewrote, ${summary.variantFindings} ESLint findings, ${summary.suggestionsChecked} suggestions applied and parsed`,
  );
  console.log("slowest files (and their slowest stages):");
  for (const entry of slowest) {
    const stages = Object.entries(entry.stageMs)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`);
    console.log(`  ${entry.file} ${(entry.ms / 1000).toFixed(1)} s${stages.length ? ` (${stages.join(", ")})` : ""}`);
  }
  if (summary.harnessErrors > 0) console.log(`${summary.harnessErrors} files could not be read (see above)`);
  const failed = summary.crashes + summary.hangs + summary.nonIdentical + summary.parseRegressions + summary.harnessErrors > 0;
  console.log(
    `fuzz:corpus ${failed ? "FAILED" : "ok"}: files ${summary.files}, skipped ${skipped.length}, crashes ${summary.crashes}, hangs ${summary.hangs}, ` +
      `non-identical outputs ${summary.nonIdentical}, parse regressions ${summary.parseRegressions} (${seconds.toFixed(1)} s)`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error("fuzz:corpus failed:", error);
    process.exitCode = 2;
  },
);
