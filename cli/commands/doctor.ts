import { createRequire } from "node:module";
import { relative } from "node:path";
import { DoctorInputError, formatJson, formatSarif, formatText, runDoctor } from "../../doctor/index.js";
import { parseCommand } from "../args.js";
import { ExitCode, usageError } from "../exit-codes.js";
import type { Io } from "../io.js";

export const DOCTOR_USAGE = `Usage: replayable doctor [paths...] [--template <file>] [--format text|json|sarif] [--account <id>]

Checks SAM and CloudFormation templates (YAML or JSON, and CDK's cdk.out/*.template.json) and
the handler code they name for the traps of durable functions: the execution role's durable
actions and their Resource, DurableConfig, invokes of unqualified or $LATEST targets,
cross-account invokes, steps longer than the function's Timeout. Folders are searched (default:
the current folder); a source file without a template gets the code checks.

  --template <file>   a template to check (may be repeated)
  --format <f>        text (default), json (an array of { file, line, column, check, resource,
                      message, fix }) or sarif (SARIF 2.1.0 for code scanning)
  --account <id>      the deploying account: invoke targets in it are not cross-account

Each check is explained in docs/doctor/<check>.md.
Exit codes: 0 no problems, 1 problems found, 2 bad arguments or unreadable input.
`;

/** replayable's version, from dist/cli/commands (the bin) or cli/commands (the sources). */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ["../../package.json", "../../../package.json"]) {
    try {
      return (require(path) as { version: string }).version;
    } catch {
      // not at this depth
    }
  }
  return "0.0.0";
}

const FORMATS = ["text", "json", "sarif"] as const;

export async function doctorCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    { template: { type: "string", multiple: true }, format: { type: "string" }, account: { type: "string" } } as const,
    DOCTOR_USAGE,
    { min: 0, max: Number.POSITIVE_INFINITY, what: "" },
  );
  const format = (values.format ?? "text") as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw usageError(`--format must be one of ${FORMATS.join(", ")}; got ${values.format}`, DOCTOR_USAGE);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw usageError(`--account must be a 12-digit AWS account id; got ${values.account}`, DOCTOR_USAGE);
  const templates = (values.template as unknown as string[] | undefined) ?? [];
  let report;
  try {
    report = runDoctor(positionals, { cwd: io.cwd, templates, account: values.account });
  } catch (error) {
    if (error instanceof DoctorInputError) throw usageError(error.message);
    throw error;
  }
  const findings = report.findings.map((finding) => ({ ...finding, file: relative(io.cwd, finding.file) || finding.file }));
  if (format === "json") io.stdout.write(formatJson(findings));
  else if (format === "sarif") io.stdout.write(formatSarif(findings, packageVersion()));
  else io.stdout.write(formatText(findings, { templates: report.templates.length, sources: report.sources.length }));
  // 1: problems found (doctor's own meaning of the code the other commands use for a failed execution).
  return findings.length > 0 ? 1 : ExitCode.OK;
}
