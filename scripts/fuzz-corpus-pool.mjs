// The fuzz:corpus driver: lists the corpus (every .ts/.mts/.cts/.js/.mjs/.cjs file under
// node_modules, .d.ts included), draws a seeded sample, and checks files in a pool of child
// processes, one file at a time each, with a per-file time limit. A child that exceeds the
// limit is killed and the file counted as a hang; a child that dies is counted as a crash of
// that file; either way a fresh child takes over and the run goes on.
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKER = fileURLToPath(new URL("./fuzz-corpus-worker.mjs", import.meta.url));
/** How long a fresh child may take to load TypeScript, ESLint and replayable before its first file. */
const LOAD_LIMIT_MS = 120_000;
export const CORPUS_EXTENSIONS = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** Every corpus file under `directory`, relative to `root`, sorted; symbolic links are not followed. */
export function listCorpus({ root = REPO_ROOT, directory = "node_modules" } = {}) {
  const files = [];
  const walk = (relative) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && CORPUS_EXTENSIONS.test(entry.name)) {
        files.push({ file: child, bytes: fs.statSync(path.join(root, child)).size });
      }
    }
  };
  walk(directory);
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** mulberry32: a small seeded generator, so a sample is the same on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic sample of `count` items (all of them when count >= length), in corpus order. */
export function sample(items, count, seed) {
  if (count >= items.length) return [...items];
  const next = random(seed);
  const indexes = items.map((_, index) => index);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
  }
  return indexes
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((index) => items[index]);
}

/**
 * Checks `files` in `jobs` child processes. Returns the summary and every file's result.
 * impl: "dist" (the built package) or "src" (the TypeScript sources, through tsx).
 */
export async function runPool(files, options = {}) {
  const {
    jobs = Math.max(1, Math.min(os.availableParallelism?.() ?? 2, 4)),
    timeoutMs = 60_000,
    /**
     * Added to the limit per megabyte of the file: ESLint's parser alone needs ~30 s for a 6 MB
     * bundle, and each file is linted three times; on a loaded machine a 9 MB file needed > 10 min.
     */
    timeoutMsPerMb = 120_000,
    impl = "dist",
    root = REPO_ROOT,
    variant = true,
    eslint = true,
    recycleAfter = 400,
    maxOldSpaceMb = 4096,
    onProgress = () => {},
    /** For the harness's own test: file -> "hang" | "exit" | "throw", simulated by the worker. */
    simulate = {},
  } = options;
  const queue = [...files];
  const results = [];
  const summary = {
    files: files.length,
    crashes: 0,
    hangs: 0,
    nonIdentical: 0,
    parseRegressions: 0,
    /** Files the harness itself could not check (unreadable): not a finding about our code, still a failed run. */
    harnessErrors: 0,
    /** Files in which the analysis found durable handlers as they are. */
    filesWithHandlers: 0,
    /** Handlers the analysis found in the variants, and variants whose own code the transformer rewrote. */
    variantHandlers: 0,
    variantsRewritten: 0,
    /** What the plugin's rules reported in the variants. */
    variantFindings: 0,
    /** ESLint suggestions applied and parsed. */
    suggestionsChecked: 0,
    problems: [],
  };
  let nextId = 0;

  const record = (result) => {
    results.push(result);
    if (result.crashes?.length) summary.crashes++;
    if (result.hang) summary.hangs++;
    if (result.harnessError) summary.harnessErrors++;
    if (result.handlers > 0) summary.filesWithHandlers++;
    summary.variantHandlers += result.variantHandlers ?? 0;
    summary.variantsRewritten += result.variantEdits ?? 0;
    summary.variantFindings += result.variantFindings ?? 0;
    summary.suggestionsChecked += result.suggestionsChecked ?? 0;
    if (result.nonIdentical?.length) summary.nonIdentical++;
    if (result.parseRegressions?.length) summary.parseRegressions++;
    if (result.crashes?.length || result.hang || result.nonIdentical?.length || result.parseRegressions?.length || result.harnessError) {
      summary.problems.push(result);
    }
    onProgress({ done: results.length, total: files.length, summary, result });
  };

  const startChild = () =>
    new Promise((resolve, reject) => {
      const execArgv = [`--max-old-space-size=${maxOldSpaceMb}`];
      if (impl === "src") execArgv.push("--import", "tsx");
      const child = fork(WORKER, [], {
        cwd: root,
        execArgv,
        env: { ...process.env, FUZZ_CORPUS_IMPL: impl, FUZZ_CORPUS_ROOT: root },
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr = (stderr + chunk).slice(-4000);
      });
      child.stderrTail = () => stderr;
      const onReady = (message) => {
        if (message?.ready) {
          child.off("message", onReady);
          child.off("exit", onEarlyExit);
          resolve(child);
        }
      };
      const onEarlyExit = (code, signal) => reject(new Error(`fuzz worker exited before it was ready (${signal ?? code}): ${stderr}`));
      child.on("message", onReady);
      child.on("exit", onEarlyExit);
    });

  const checkOne = (child, { file, bytes }) =>
    new Promise((resolve) => {
      const limitMs = timeoutMs + Math.ceil((timeoutMsPerMb * bytes) / 1e6);
      const id = nextId++;
      const started = performance.now();
      let settled = false;
      const finish = (result, dead) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve({ result, dead });
      };
      let stage = "loading";
      const onMessage = (message) => {
        if (message?.id !== id) return;
        if (message.stage) stage = message.stage;
        else if (message.started) {
          clearTimeout(timer);
          timer = setTimeout(onTimeout, limitMs);
        } else finish(message.result, false);
      };
      const onExit = (code, signal) =>
        finish(
          {
            file,
            ms: performance.now() - started,
            crashes: [{ stage: "process", message: `the checking process died (${signal ?? `exit code ${code}`}): ${child.stderrTail().trim().split("\n").slice(-8).join("\n")}` }],
          },
          true,
        );
      const onTimeout = () => {
        child.kill("SIGKILL");
        finish({ file, ms: performance.now() - started, limitMs, hang: true, stage, crashes: [] }, true);
      };
      // Until the child says it started the file, it may still be loading the implementation.
      let timer = setTimeout(onTimeout, limitMs + LOAD_LIMIT_MS);
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send({ id, file, variant, eslint, simulate: simulate[file] });
    });

  const lane = async () => {
    let child;
    let checked = 0;
    while (queue.length > 0) {
      const entry = queue.shift();
      if (!child) {
        child = await startChild();
        checked = 0;
      }
      const { result, dead } = await checkOne(child, entry);
      record(result);
      checked++;
      if (dead) child = undefined;
      else if (checked >= recycleAfter || (result.rss ?? 0) > 2.5e9) {
        child.kill();
        child = undefined;
      }
    }
    child?.kill();
  };

  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, files.length)) }, lane));
  return { summary, results };
}

/** One line per problem, for the log. */
export function describeProblem(result) {
  const lines = [`${result.file}`];
  if (result.hang) lines.push(`  hang: no answer within the time limit of ${Math.round(result.limitMs / 1000)} s (in stage ${result.stage})`);
  if (result.harnessError) lines.push(`  harness error: ${result.harnessError}`);
  for (const crash of result.crashes ?? []) {
    lines.push(`  crash in ${crash.stage}: ${crash.message}`);
    if (crash.stack) lines.push(...crash.stack.split("\n").slice(1, 8).map((line) => `    ${line.trim()}`));
  }
  for (const diff of result.nonIdentical ?? []) {
    lines.push(`  output not byte-identical (${diff.stage}) at offset ${diff.firstDifference.index}: ${JSON.stringify(diff.firstDifference.before)} -> ${JSON.stringify(diff.firstDifference.after)}`);
  }
  for (const regression of result.parseRegressions ?? []) {
    lines.push(`  parse regression (${regression.stage}): ${regression.before} -> ${regression.after} syntax errors; ${regression.first.join("; ")}`);
  }
  return lines.join("\n");
}
