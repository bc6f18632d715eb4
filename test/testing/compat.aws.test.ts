// The compatibility scenarios on the official AWS LocalDurableTestRunner (time skipping on).
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { scenarios as common } from "./compat/scenarios.aws.js";
import { scenarios as differences } from "./compat/differences.aws.js";

const scenarios = [...common, ...differences];
import { runScenario, type DrivableRunner } from "./compat-run.js";

describe("compatibility scenarios on @aws/durable-execution-sdk-js-testing", () => {
  beforeAll(async () => {
    await LocalDurableTestRunner.setupTestEnvironment({ skipTime: true });
  });
  afterAll(async () => {
    await LocalDurableTestRunner.teardownTestEnvironment();
  });
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await runScenario(scenario, (handler) => new LocalDurableTestRunner({ handlerFunction: handler as never }) as unknown as DrivableRunner);
    });
  }
});
