// The same scenarios, import changed to replayable, on replayable's runner (replay check on),
// once replaying from the first line after every suspension and once resuming warm.
import { describe, it } from "vitest";
import { LocalDurableTestRunner } from "../../testing/index.js";
import { scenarios as common } from "./compat/scenarios.replayable.js";
import { scenarios as differences } from "./compat/differences.replayable.js";

const scenarios = [...common, ...differences];
import { runScenario, type DrivableRunner } from "./compat-run.js";

for (const resumption of ["replay", "warm"] as const) {
  describe(`compatibility scenarios on replayable (resumption: ${resumption})`, () => {
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        await runScenario(scenario, (handler) => new LocalDurableTestRunner({ handlerFunction: handler, resumption }) as unknown as DrivableRunner);
      });
    }
  });
}
