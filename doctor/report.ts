import { CHECK_IDS, type DoctorFinding } from "./finding.js";

const DESCRIPTIONS: Record<(typeof CHECK_IDS)[number], string> = {
  "iam-durable-actions": "The execution role allows lambda:CheckpointDurableExecution and lambda:GetDurableExecutionState, spelled right, with no Deny",
  "iam-unqualified-resource": "The durable actions are granted on a Resource that can match a durable execution ARN (NAME:*), not the unqualified function or an alias",
  "durable-config-missing": "A function whose handler is durable has a DurableConfig",
  "durable-config-unused": "A function with a DurableConfig has a durable handler",
  "durable-config-range": "DurableConfig has only known properties, each in its range",
  "unqualified-durable-invoke": "Durable functions are invoked through a published version or alias, not the bare function or $LATEST",
  "cross-account-invoke": "context.invoke targets a function in the same account",
  "step-longer-than-timeout": "No step needs longer than the function's Timeout",
};

export function formatText(findings: readonly DoctorFinding[], checked: { templates: number; sources: number }): string {
  const scope = `${checked.templates} template${checked.templates === 1 ? "" : "s"}, ${checked.sources} source file${checked.sources === 1 ? "" : "s"}`;
  if (findings.length === 0) return `replayable doctor: no problems found (${scope})\n`;
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`${finding.file}:${finding.line}:${finding.column}  ${finding.check}${finding.resource ? `  ${finding.resource}` : ""}`);
    lines.push(`  ${finding.message}`);
    lines.push("  fix:");
    for (const line of finding.fix.split("\n")) lines.push(`    ${line}`);
    lines.push("");
  }
  lines.push(`${findings.length} problem${findings.length === 1 ? "" : "s"} (${scope}); docs/doctor/<check>.md explains each check`);
  return `${lines.join("\n")}\n`;
}

export function formatJson(findings: readonly DoctorFinding[]): string {
  return `${JSON.stringify(findings.map(({ file, line, column, check, resource, message, fix }) => ({ file, line, column, check, resource, message, fix })), null, 2)}\n`;
}

/** SARIF 2.1.0, as GitHub code scanning reads it: one rule per check, one result per finding. */
export function formatSarif(findings: readonly DoctorFinding[], version: string): string {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "replayable doctor",
            version,
            rules: CHECK_IDS.map((id) => ({ id, shortDescription: { text: DESCRIPTIONS[id] }, helpUri: `docs/doctor/${id}.md` })),
          },
        },
        results: findings.map((finding) => ({
          ruleId: finding.check,
          ruleIndex: CHECK_IDS.indexOf(finding.check),
          level: "error",
          message: { text: `${finding.message}\nFix:\n${finding.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: finding.file.split("\\").join("/") }, region: { startLine: finding.line, startColumn: finding.column } } }],
          ...(finding.resource ? { properties: { resource: finding.resource } } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
