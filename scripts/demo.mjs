// `npm run demo`, in three parts, then the console URL for the demo's store:
// 1. lints examples/ with replayable's `recommended` config and prints what it finds (the
//    examples at the top of examples/ hold deliberate mistakes; examples/run/ is clean);
// 2. runs the payment flow (examples/run/order-payment.ts) on the local engine with the built
//    `replayable` CLI, kills the process with SIGKILL during its wait, runs the same command
//    again, and shows the execution completing from its checkpoint with exactly one charge;
// 3. runs `replayable doctor` on a SAM template with the deployment traps
//    (fixtures/doctor/traps/template.yaml) and shows what it reports before a deploy.
// Findings are not a failure; the demo exits non-zero when ESLint itself failed, or when the
// execution did not complete with exactly one charge.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { DEMO_EXECUTION_ID, runEngineDemo } from "./engine-demo.mjs";
import { formatResults, lintExamples, REPO_ROOT, summarize } from "./lint-examples.mjs";

async function lintPart(color, width) {
  // The package's own export, resolved through its self-reference: the built dist/.
  const { default: plugin } = await import("replayable/eslint-plugin");
  const results = await lintExamples({ plugin });
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

async function main() {
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const width = Math.min(Math.max(process.stdout.columns ?? 100, 72), 120);
  let lint;
  try {
    lint = await lintPart(color, width);
  } catch (error) {
    console.error("replayable demo: ESLint failed:", error);
    return 2;
  }
  console.log(`\n${"─".repeat(Math.min(width, 100))}\n`);
  const engine = await runEngineDemo({ bin: path.join(REPO_ROOT, "dist/cli/bin.js"), cwd: REPO_ROOT, color, keepStore: true });
  console.log(`\n${"─".repeat(Math.min(width, 100))}\n`);
  const doctor = doctorPart();
  // The console is a server: the demo prints how to start it on its store and exits.
  const token = randomBytes(16).toString("base64url");
  console.log(`\nSee the execution in the web console (the store stays in ${path.dirname(engine.store)}):`);
  console.log(`  npx replayable console --store ${engine.store} --token ${token}`);
  console.log(`  then open http://127.0.0.1:4700/?token=${token}#/executions/${DEMO_EXECUTION_ID}`);
  return lint || doctor || (engine.ok ? 0 : 1);
}

/** Doctor's findings are the point: exit 1 (problems found) is success here, anything else is not. */
function doctorPart() {
  const args = ["doctor", "fixtures/doctor/traps"];
  console.log(`replayable: ${args.join(" ")}   # a SAM template with the traps of durable functions\n`);
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist/cli/bin.js"), ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  return run.status === 1 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error("replayable demo failed:", error);
    process.exitCode = 2;
  },
);
