// The compatibility scenarios (written against the AWS API, test/testing/compat/) run with
// the official SDK on replayable's engine through fromAwsSdk, with the same expectations as
// on both test runners (see engine-scenario-runner.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { MemoryStore, SqliteStore, type EngineStore } from "../../engine/index.js";
import { scenarios } from "../testing/compat/scenarios.aws.js";
import { runScenario } from "../testing/compat-run.js";
import { EngineScenarioRunner, inProcess } from "./engine-scenario-runner.js";
import { newPgStore } from "./stores/pg-test-store.js";

const dir = mkdtempSync(join(tmpdir(), "replayable-aws-compat-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const stores: Array<[string, () => EngineStore | Promise<EngineStore>]> = [
  ["MemoryStore", () => new MemoryStore()],
  ["SqliteStore", () => SqliteStore.open(join(dir, `compat-${++files}.sqlite`))],
  ["PostgresStore", newPgStore],
];

// On PostgreSQL, npm test runs every third scenario (a sample across the kinds of operation,
// to keep the suite's time); REPLAYABLE_PG_ALL=1 runs all 51 (the full run in the README).
const onPostgres = (name: string, index: number) => name !== "PostgresStore" || process.env["REPLAYABLE_PG_ALL"] === "1" || index % 3 === 0;

describe.each(stores)("compatibility scenarios with the official SDK on replayable's engine (%s)", (name, makeStore) => {
  for (const scenario of scenarios.filter((_, index) => onPostgres(name, index))) {
    it(scenario.name, async () => runScenario(scenario, (handler) => new EngineScenarioRunner(inProcess(handler), makeStore)));
  }
});
