// Real code nobody here wrote: a seeded sample of node_modules through the shared analysis, the
// ESLint plugin (`recommended`) and the transformer, each file as it is and as two variants that
// make its functions durable handlers (scripts/fuzz-corpus-checks.mjs). No crash, no hang,
// byte-identical output without handlers, no new syntax errors from the transformer or from an
// ESLint suggestion. Each file is checked in a child process, on the TypeScript sources. The
// whole corpus, on the built package: `npm run fuzz:corpus`.
import { describe, expect, it } from "vitest";
import { describeProblem, listCorpus, runPool, sample } from "../../scripts/fuzz-corpus-pool.mjs";

const SAMPLE = 500;
const SEED = 20261127;
/** Bigger files take seconds each in ESLint's parser; the full run checks them all. */
const MAX_BYTES = 200_000;

describe("real code from node_modules", () => {
  const corpus = listCorpus();

  it("lists .ts, .mts, .cts, .js, .mjs and .cjs files (.d.ts included), symlinks not followed", () => {
    expect(corpus.length).toBeGreaterThan(1000);
    expect(corpus.some((entry) => entry.file.endsWith(".d.ts"))).toBe(true);
    expect(corpus.every((entry) => /\.(?:ts|mts|cts|js|mjs|cjs)$/.test(entry.file) && entry.file.startsWith("node_modules"))).toBe(true);
    expect(sample(corpus, 50, SEED)).toEqual(sample(corpus, 50, SEED));
  });

  it(`checks a seeded sample of ${SAMPLE} files: no crash, no hang, identical output without handlers, no new syntax errors`, async () => {
    const files = sample(
      corpus.filter((entry) => entry.bytes <= MAX_BYTES),
      SAMPLE,
      SEED,
    );
    expect(files).toHaveLength(SAMPLE);
    const { summary } = await runPool(files, { impl: "src", jobs: 2 });
    const report = summary.problems.map(describeProblem).join("\n");
    const { crashes, hangs, nonIdentical, parseRegressions, harnessErrors } = summary;
    expect({ crashes, hangs, nonIdentical, parseRegressions, harnessErrors }, report).toEqual({ crashes: 0, hangs: 0, nonIdentical: 0, parseRegressions: 0, harnessErrors: 0 });
    // The variants make the analysis walk the files' own functions as orchestration code.
    expect(summary.variantHandlers).toBeGreaterThan(SAMPLE);
  }, 180_000);

  it("reports a file whose check hangs, crashes the process or throws, and goes on with the next", async () => {
    const files = corpus.filter((entry) => entry.bytes < 5_000).slice(0, 4);
    const [hang, exit, thrown, fine] = files.map((entry) => entry.file);
    const { summary, results } = await runPool(files, {
      impl: "src",
      jobs: 1,
      timeoutMs: 3_000,
      timeoutMsPerMb: 0,
      eslint: false,
      simulate: { [hang!]: "hang", [exit!]: "exit", [thrown!]: "throw" },
    });
    expect(summary).toMatchObject({ files: 4, hangs: 1, crashes: 2 });
    expect(results.find((result) => result.file === hang)?.hang).toBe(true);
    expect(results.find((result) => result.file === exit)?.crashes?.[0]?.message).toMatch(/exit code 70/);
    expect(results.find((result) => result.file === thrown)?.crashes?.[0]?.message).toMatch(/simulated crash/);
    expect(results.find((result) => result.file === fine)).toMatchObject({ crashes: [], nonIdentical: [], parseRegressions: [] });
  }, 60_000);
});
