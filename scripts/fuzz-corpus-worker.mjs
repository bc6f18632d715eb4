// A child process of the fuzz:corpus pool: checks one file at a time, as the parent asks over IPC.
// FUZZ_CORPUS_IMPL=dist (default) loads the built package through its self-reference;
// FUZZ_CORPUS_IMPL=src loads the TypeScript sources (the parent starts it with `--import tsx`).
import fs from "node:fs";
import path from "node:path";
import { checkText, implementation } from "./fuzz-corpus-checks.mjs";

const cwd = process.env.FUZZ_CORPUS_ROOT ?? process.cwd();

async function load() {
  const ts = (await import("typescript")).default;
  const { Linter } = await import("eslint");
  if (process.env.FUZZ_CORPUS_IMPL === "src") {
    const analysis = await import("../analysis/index.ts");
    const transformer = await import("../transformer/index.ts");
    const plugin = (await import("../eslint-plugin/index.ts")).default;
    return implementation({ ts, analysis, transformer, plugin, Linter, cwd });
  }
  const analysis = await import("replayable/analysis");
  const transformer = await import("replayable/transformer");
  const plugin = (await import("replayable/eslint-plugin")).default;
  return implementation({ ts, analysis, transformer, plugin, Linter, cwd });
}

// Loaded on the first file, so a child that only simulates a failure starts at once.
let loaded;

/** For the harness's own test: behave as a hanging or crashing check would. */
function simulate(kind) {
  if (kind === "hang") for (;;);
  if (kind === "exit") process.exit(70);
  if (kind === "throw") throw new Error("simulated crash");
}

process.on("message", async (request) => {
  // The parent's time limit for the file starts with this message, not while the implementation loads.
  if (request.simulate) {
    process.send({ id: request.id, started: true });
    simulate(request.simulate);
  }
  const impl = await (loaded ??= load());
  process.send({ id: request.id, started: true });
  const started = performance.now();
  let result;
  try {
    const text = fs.readFileSync(path.join(cwd, request.file), "utf8");
    const onStage = (stage) => process.send({ id: request.id, stage });
    result = checkText(impl, { text, relativePath: request.file, cwd, variant: request.variant, eslint: request.eslint, onStage });
  } catch (error) {
    // Reading the file failed: the harness's problem, reported as such.
    result = { file: request.file, harnessError: String(error?.stack ?? error) };
  }
  result.ms = performance.now() - started;
  result.rss = process.memoryUsage().rss;
  process.send({ id: request.id, result });
});

process.send({ ready: true });
