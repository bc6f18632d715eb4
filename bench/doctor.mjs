// `npm run bench:doctor`: what `replayable doctor` costs over reading the templates.
//
// Baseline: parsing every template of fixtures/doctor (the 31 golden cases, the CDK output and
// AWS's 84-function examples template, ../shared/real-world/aws-examples/template.yml) with the
// `yaml` package alone. Measured: runDoctor on the same templates (parse with positions, resolve
// intrinsics, link each function to its code, run the shared analysis on it, every check).
// Runs alternate (baseline, doctor, ...) after a warm-up; medians, mins and the ratio of medians
// are printed, wall time and this process's CPU time. BENCH_RUNS (default 9).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseDocument } from "yaml";
import { runDoctor } from "../dist/doctor/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 9));
const CASES = path.join(ROOT, "fixtures/doctor/cases");
const templates = [
  ...readdirSync(CASES).map((name) => path.join(CASES, name, "template.yaml")),
  path.join(ROOT, "fixtures/doctor/cdk/cdk.out/DoctorCdkStack.template.json"),
  path.join(ROOT, "../shared/real-world/aws-examples/template.yml"),
];

const median = (values) => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function measure(work) {
  const wall = performance.now();
  const cpu = cpuMs();
  const result = work();
  return { wall: performance.now() - wall, cpu: cpuMs() - cpu, result };
}

const parseOnly = () => templates.reduce((count, file) => count + (parseDocument(readFileSync(file, "utf8")).errors.length === 0 ? 1 : 0), 0);
const doctor = () => templates.reduce((count, file) => count + runDoctor([], { cwd: ROOT, templates: [file] }).findings.length, 0);

parseOnly();
doctor();
const baseline = [];
const measured = [];
let findings = 0;
for (let run = 0; run < RUNS; run++) {
  baseline.push(measure(parseOnly));
  const result = measure(doctor);
  findings = result.result;
  measured.push(result);
}
const row = (name, samples) => `${name.padEnd(22)} median ${median(samples.map((s) => s.wall)).toFixed(1).padStart(7)} ms   min ${Math.min(...samples.map((s) => s.wall)).toFixed(1).padStart(7)} ms   cpu median ${median(samples.map((s) => s.cpu)).toFixed(1).padStart(7)} ms`;
console.log(`replayable doctor on ${templates.length} templates (${findings} findings), ${RUNS} runs each\n`);
console.log(row("yaml parse (baseline)", baseline));
console.log(row("replayable doctor", measured));
const ratio = (key) => (median(measured.map((s) => s[key])) / median(baseline.map((s) => s[key]))).toFixed(2);
console.log(`\ndoctor / parse: ${ratio("wall")}x wall, ${ratio("cpu")}x cpu`);
