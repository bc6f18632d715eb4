import { expect } from "vitest";
import type { CompatRunner, Scenario } from "./compat/scenario-types.js";

/** The runner operations the compatibility driver needs; both runners provide them. */
export interface DrivableRunner extends CompatRunner {
  run(params?: { payload?: unknown }): Promise<{
    getStatus(): unknown;
    getResult(): unknown;
    getError(): { errorMessage: string | undefined };
    getOperations(): Array<{ getName(): string | undefined }>;
    /** The engine's scenario runner (test/engine) has none; the differences scenarios that count invocations run on the two test runners. */
    getInvocations?(): unknown[];
  }>;
  registerFunction(name: string, handler: (event: any, context: any) => Promise<unknown>): unknown;
}

/** Runs one scenario on a runner and asserts the expectations written in the scenario. */
export async function runScenario(scenario: Scenario, makeRunner: (handler: unknown) => DrivableRunner): Promise<void> {
  const setup = scenario.setup();
  const runner = makeRunner(setup.handler);
  for (const [name, fn] of Object.entries(setup.functions ?? {})) runner.registerFunction(name, fn);
  const [result]: [Awaited<ReturnType<DrivableRunner["run"]>>, ...unknown[]] = setup.drive
    ? [await setup.drive(runner)]
    : await Promise.all([runner.run({ payload: setup.payload }), setup.interact?.(runner)]);
  const { expected } = scenario;
  expect(result.getStatus()).toBe(expected.status);
  if (expected.status === "SUCCEEDED") expect(result.getResult()).toEqual(expected.result);
  else if (expected.errorMessageMatch) expect(result.getError().errorMessage).toMatch(expected.errorMessageMatch);
  else expect(result.getError().errorMessage).toBe(expected.errorMessage);
  if (expected.operationOrder) expect(result.getOperations().map((op) => op.getName())).toEqual(expected.operationOrder);
  for (const [name, status] of Object.entries(expected.operations ?? {})) {
    expect(runner.getOperation(name).getStatus(), `status of operation "${name}"`).toBe(status);
  }
  if (expected.invocations !== undefined) expect(result.getInvocations?.(), "invocations").toHaveLength(expected.invocations);
  await setup.check?.(result, runner);
}
