// Re-runs AWS's example tests on the official packages and rewrites the passing list in
// official-baseline.json (run: npx tsx test/testing/aws-examples/record-official.ts).
// A test that no longer passes there needs a reason in notPassingOnOfficial: this prints them.
import { readFileSync, writeFileSync } from "node:fs";
import { runExamples } from "./run-examples.js";

const file = new URL("./official-baseline.json", import.meta.url);
const baseline = JSON.parse(readFileSync(file, "utf8"));
const outcomes = await runExamples("official");
baseline.passingOnOfficial = [...outcomes].filter(([, o]) => o.status === "passed").map(([id]) => id).sort();
writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
const unexplained = [...outcomes].filter(([id, o]) => o.status !== "passed" && !(id in baseline.notPassingOnOfficial));
console.log(`${baseline.passingOnOfficial.length} of ${outcomes.size} pass on the official packages.`);
for (const [id, o] of unexplained) console.log(`needs a reason in notPassingOnOfficial: ${id} (${o.status}: ${o.message ?? ""})`);
process.exitCode = unexplained.length > 0 ? 1 : 0;
