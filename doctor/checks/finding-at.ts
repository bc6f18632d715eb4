import type { CheckId, DoctorFinding } from "../finding.js";
import type { Template } from "../template.js";

/** A finding at a key of an object of the template (or at the object itself without a key). */
export function findingAt(template: Template, holder: object, key: string | number | undefined, check: CheckId, resource: string, message: string, fix: string): DoctorFinding {
  const { line, column } = template.positionOf(holder, key);
  return { file: template.file, line, column, check, resource, message, fix };
}

/** A finding at a resource's logical id. */
export function findingAtResource(template: Template, id: string, check: CheckId, message: string, fix: string): DoctorFinding {
  const { line, column } = template.positionOfResource(id);
  return { file: template.file, line, column, check, resource: id, message, fix };
}
