import type { CodeFacts } from "../code-facts.js";
import type { DoctorFinding } from "../finding.js";
import type { LambdaFunction } from "../lambda-function.js";
import { findingAt, findingAtResource } from "./finding-at.js";
import { relativeToTemplate } from "./relative.js";

/**
 * step-longer-than-timeout: a step runs inside one invocation, so a step that needs longer than
 * the function's Timeout is killed every time and retried every time. The step's length is a
 * lower bound: the literal setTimeout delays written inside it.
 */
export function checkStepTimeout(fn: LambdaFunction, code: CodeFacts): DoctorFinding[] {
  const step = code.longestStep;
  const timeout = fn.timeoutSeconds;
  if (!step || timeout === undefined || step.milliseconds < timeout * 1000) return [];
  const { template, resource } = fn;
  const seconds = step.milliseconds / 1000;
  const message = `the step at ${relativeToTemplate(template, step.file)}:${step.line} waits at least ${seconds} s, but ${resource.id}'s Timeout is ${timeout} s${fn.property("Timeout") ? "" : " (Lambda's default)"}: the invocation ends mid-step and the step is retried forever`;
  const fix = `Timeout: ${Math.min(900, Math.ceil(seconds) + 30)}    # or split the step, or wait with context.wait() outside it`;
  const timeoutProperty = fn.property("Timeout");
  return [timeoutProperty ? findingAt(template, timeoutProperty.holder, "Timeout", "step-longer-than-timeout", resource.id, message, fix) : findingAtResource(template, resource.id, "step-longer-than-timeout", message, fix)];
}
