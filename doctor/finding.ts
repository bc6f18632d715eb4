/** The checks `replayable doctor` runs; the ids are part of the interface (docs/doctor/<id>.md, SARIF rule ids). */
export const CHECK_IDS = [
  "iam-durable-actions",
  "iam-unqualified-resource",
  "durable-config-missing",
  "durable-config-unused",
  "durable-config-range",
  "unqualified-durable-invoke",
  "cross-account-invoke",
  "step-longer-than-timeout",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One problem, where it is written: in a template (`resource` is the logical id) or in source code. */
export interface DoctorFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly check: CheckId;
  /** The template's logical id; for code without a template, "". */
  readonly resource: string;
  readonly message: string;
  /** What to write instead, as a snippet. */
  readonly fix: string;
}
