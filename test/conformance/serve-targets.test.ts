// A sample of the conformance requirements through `replayable serve`'s protocol path (see
// conformance/targets/serve.ts): each handler in a worker process, checkpointing with its
// default LambdaClient over loopback HTTP, on replayable's runtime and on the official SDK.
// Result and history must match. The whole set: `npm run conformance -- --target serve-replayable`.
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_REQUIREMENTS_DIR, loadRequirements } from "../../conformance/requirements.js";
import { describeReport, runRequirement } from "../../conformance/run.js";
import { serveTarget } from "../../conformance/targets/serve.js";

const requirements = existsSync(DEFAULT_REQUIREMENTS_DIR) ? loadRequirements(DEFAULT_REQUIREMENTS_DIR) : [];
/** One each from the step, callback and parallel suites: three, since each run starts a worker process. */
const SAMPLE = ["1-11", "4-13", "8-12"];

describe.each(["replayable", "aws"] as const)("conformance through serve, %s runtime", (sdk) => {
  const target = serveTarget(sdk);
  afterAll(() => target.teardown?.());
  it.each(SAMPLE)("%s", async (id) => {
    const req = requirements.find((r) => r.id === id);
    expect(req, `no requirement ${id} in ${DEFAULT_REQUIREMENTS_DIR}`).toBeDefined();
    const report = await runRequirement(req!, target, { timeoutMs: 20_000 });
    expect(report.verdict, describeReport(report)).toBe("passed");
    expect(report.history, describeReport(report)).toBe("matched");
  }, 30_000);
});

// 3-12 crashes its process once its StepStarted is checkpointed, which the official SDK sends
// without waiting for it: the handler must wait for the checkpoint itself, not for a fixed time
// (it slept 200 ms, and failed on a loaded machine whose first HTTP request took longer).
describe("conformance through serve, a slow service", () => {
  const target = serveTarget("aws", { checkpointLatencyMs: 400 });
  afterAll(() => target.teardown?.());
  it("3-12 (a child's step crashes the process after StepStarted) passes when each checkpoint takes 400 ms", async () => {
    const req = requirements.find((r) => r.id === "3-12");
    expect(req, `no requirement 3-12 in ${DEFAULT_REQUIREMENTS_DIR}`).toBeDefined();
    const report = await runRequirement(req!, target, { timeoutMs: 40_000 });
    expect(report.verdict, describeReport(report)).toBe("passed");
    expect(report.history, describeReport(report)).toBe("matched");
  }, 60_000);
});

