import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scenarios as awsScenarios } from "./compat/scenarios.aws.js";
import { scenarios as replayableScenarios } from "./compat/scenarios.replayable.js";

const read = (name: string) => readFileSync(new URL(`./compat/${name}`, import.meta.url), "utf8");

describe("compatibility scenario sources", () => {
  for (const file of ["scenarios", "differences"]) {
    it(`${file}: differ only in the import specifier`, () => {
      const aws = read(`${file}.aws.ts`);
      const replayable = read(`${file}.replayable.ts`);
      expect(aws).toContain('from "@aws/durable-execution-sdk-js";');
      expect(replayable).toBe(aws.replace('from "@aws/durable-execution-sdk-js";', 'from "../../../runtime/index.js";'));
    });
  }

  it("cover at least 25 scenarios, the same on both sides", () => {
    expect(awsScenarios.length).toBeGreaterThanOrEqual(25);
    expect(replayableScenarios.map((s) => s.name)).toEqual(awsScenarios.map((s) => s.name));
  });
});
