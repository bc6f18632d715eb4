// replayable's runtime speaking Lambda's durable protocol: the 51 compatibility scenarios,
// written with replayable's import, run as Lambda would run them. The engine plays the
// durable execution service (engine/aws's ExecutionService) and hands it to the handler in
// the invocation event; every wake-up is a new invocation that replays from the first line,
// reads the state through the protocol and checkpoints through it.
import { describe, it } from "vitest";
import { MemoryStore } from "../../../engine/index.js";
import { EngineScenarioRunner, inProcess } from "../../engine/engine-scenario-runner.js";
import { scenarios } from "../../testing/compat/scenarios.replayable.js";
import { runScenario } from "../../testing/compat-run.js";

describe("compatibility scenarios: replayable's runtime over Lambda's durable protocol", () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => runScenario(scenario, (handler) => new EngineScenarioRunner(inProcess(handler), () => new MemoryStore())));
  }
});
