// The plain Lambda functions the invoke suite's handlers call with context.invoke. Every target
// registers them under these names (on AWS they would be deployed beside the handler).
import type { InvokeTarget } from "./target.js";

export class TargetFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetFunctionError";
  }
}

export const invokeTargets: Record<string, InvokeTarget> = {
  /** Returns whatever it receives. */
  "conformance-echo": async (event) => event ?? null,
  /** Greets what it receives. */
  "conformance-greet": async (event) => `Hello, ${String(event)}!`,
  /** Always fails. */
  "conformance-fail": async () => {
    throw new TargetFunctionError("the target function failed");
  },
  /** Reports the size of what it receives (for large payloads). */
  "conformance-measure": async (event) => ({ bytes: JSON.stringify(event ?? null).length }),
};
