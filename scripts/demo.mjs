// `npm run demo`: lints examples/ with replayable's `recommended` config and prints what
// it finds. The demo shows findings; it is not a gate: it exits 0 when ESLint ran, and
// non-zero only when ESLint itself failed (a crash, a bad config, an unparsable example).
import { formatResults, lintExamples, summarize } from "./lint-examples.mjs";

async function main() {
  // The package's own export, resolved through its self-reference: the built dist/.
  const { default: plugin } = await import("replayable/eslint-plugin");
  const results = await lintExamples({ plugin });
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const width = Math.min(Math.max(process.stdout.columns ?? 100, 72), 120);

  console.log("replayable: linting examples/ with replayable/eslint-plugin (configs.recommended)\n");
  console.log(formatResults(results, { color, width }));

  const fatal = results.flatMap((result) => result.messages.filter((message) => message.fatal).map(() => result.filePath));
  if (fatal.length > 0) {
    console.error(`\nESLint could not parse: ${[...new Set(fatal)].join(", ")}`);
    return 1;
  }
  if (summarize(results).files === 0) {
    console.error("\nNo example files were linted.");
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error("replayable demo: ESLint failed:", error);
    process.exitCode = 2;
  },
);
