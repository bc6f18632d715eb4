// The same scenarios, import changed to replayable, on replayable's runner (replay check on).
import { describe, it } from "vitest";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { scenarios } from "./compat/scenarios.replayable.js";
import { runScenario, type DrivableRunner } from "./compat-run.js";

describe("compatibility scenarios on replayable", () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await runScenario(scenario, (handler) => new LocalDurableTestRunner({ handlerFunction: handler }) as unknown as DrivableRunner);
    });
  }
});
