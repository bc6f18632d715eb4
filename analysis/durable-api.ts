/** What the analysis knows of the durable SDKs' API: the import sources and the operations. */

export const DURABLE_PACKAGES = ["replayable", "@aws/durable-execution-sdk-js"] as const;
export type DurableRuntime = "replayable" | "aws";

export function runtimeOfPackage(module: string): DurableRuntime | undefined {
  if (module === "replayable") return "replayable";
  if (module === "@aws/durable-execution-sdk-js") return "aws";
  return undefined;
}

/** Where the function argument of an operation runs. */
export type OperationRegion = "step" | "orchestration" | "none";

/** Operations on a DurableContext, and the region their function arguments run in. */
export const DURABLE_OPERATIONS: Readonly<Record<string, OperationRegion>> = {
  step: "step",
  waitForCondition: "step",
  waitForCallback: "step",
  runInChildContext: "orchestration",
  map: "orchestration",
  parallel: "orchestration",
  wait: "none",
  invoke: "none",
  createCallback: "none",
  "promise.all": "none",
  "promise.allSettled": "none",
  "promise.any": "none",
  "promise.race": "none",
};
