import { DURABLE_API_ACTIONS, REQUIRED_ACTIONS } from "../durable-facts.js";
import type { DoctorFinding } from "../finding.js";
import { displayText } from "../intrinsics.js";
import type { LambdaFunction } from "../lambda-function.js";
import type { RolePolicies, Statement } from "../role-policies.js";
import { findingAt } from "./finding-at.js";

/**
 * iam-durable-actions and iam-unqualified-resource: the execution role of a durable function
 * must allow lambda:CheckpointDurableExecution and lambda:GetDurableExecutionState on its durable
 * executions (`...:function:NAME:QUALIFIER/durable-execution/...`), and no Deny may take them away.
 */
export function checkIam(fn: LambdaFunction, policies: RolePolicies): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  const { template } = fn;
  const id = fn.resource.id;
  const missing: string[] = [];
  for (const statement of policies.statements) {
    for (const entry of statement.actions) {
      const correct = misspelled(entry.action);
      if (correct) {
        findings.push(
          findingAt(template, entry.holder, entry.key, "iam-durable-actions", statement.owner, `${entry.action} is not an IAM action and grants nothing; the action is ${correct}`, `- ${correct}`),
        );
      }
    }
  }
  const unqualified = new Map<Statement, { resource: string; actions: string[] }>();
  for (const action of REQUIRED_ACTIONS) {
    const deny = policies.statements.find((statement) => statement.effect === "Deny" && !statement.notResource && grantsAction(statement, action) && statement.resources.some((resource) => resourceMatch(resource, fn) === "yes"));
    if (deny) {
      findings.push(
        findingAt(template, deny.statement, "Effect", "iam-durable-actions", deny.owner, `this Deny of ${action} wins over every Allow: ${id} cannot checkpoint or read its state, and its executions fail at the first durable operation`, `# remove ${action} from the Deny, or narrow its Resource so it does not match ${id}'s durable executions`),
      );
      continue;
    }
    if (policies.durableManagedPolicy) continue;
    const allows = policies.statements.filter((statement) => statement.effect === "Allow" && grantsAction(statement, action));
    // A NotResource statement grants everything it does not list: doctor does not judge it.
    const matches = allows.flatMap((statement) => statement.resources.map((resource) => ({ statement, resource, match: statement.notResource ? ("unknown" as const) : resourceMatch(resource, fn) })));
    if (matches.some((entry) => entry.match !== "no")) continue;
    const wrong = matches.find((entry) => entry.resource !== undefined && namesFunction(entry.resource, fn));
    if (wrong) {
      const entry = unqualified.get(wrong.statement) ?? { resource: wrong.resource!, actions: [] };
      entry.actions.push(action);
      unqualified.set(wrong.statement, entry);
    } else if (policies.complete) missing.push(action);
  }
  for (const [statement, { resource, actions }] of unqualified) {
    findings.push(
      findingAt(template, statement.statement, "Resource", "iam-unqualified-resource", statement.owner, `${actions.join(" and ")} ${actions.length > 1 ? "are" : "is"} granted on ${displayText(resource)}, which never matches a durable execution ARN (${id}'s executions are ...:function:NAME:VERSION/durable-execution/...; aliases do not apply): Lambda denies ${actions.length > 1 ? "them" : "it"}`, `Resource: !Sub "\${${id}.Arn}:*"`),
    );
  }
  const anyMisspelled = findings.some((finding) => finding.check === "iam-durable-actions" && finding.message.includes("is not an IAM action"));
  if (missing.length > 0 && !anyMisspelled) {
    findings.push(
      findingAt(template, policies.where.holder, policies.where.key, "iam-durable-actions", id, `the execution role of ${id} does not allow ${missing.join(" or ")}: its executions fail at the first checkpoint`, `ManagedPolicyArns:\n  - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicDurableExecutionRolePolicy`),
    );
  }
  return findings;
}

function grantsAction(statement: Statement, action: string): boolean {
  const listed = statement.actions.some((entry) => globMatches(entry.action, action));
  return statement.notAction ? !listed : listed;
}

/** Whether a Resource can match one of the function's durable execution ARNs (Lambda Developer Guide, "Security and permissions for Lambda durable functions"). */
function resourceMatch(resource: string | undefined, fn: LambdaFunction): "yes" | "no" | "unknown" {
  if (resource === undefined) return "unknown";
  if (resource === "*") return "yes";
  const fields = resource.split(":");
  const literal = (value: string | undefined, fallback: string) => (value && /^[\w-]+$/.test(value) ? value : fallback);
  const name = functionNameOf(fn);
  const sample = `arn:${literal(fields[1], "aws")}:lambda:${literal(fields[3], "us-east-1")}:${literal(fields[4], "123456789012")}:function:${name}:1/durable-execution/name/id`;
  if (globMatches(resource, sample)) return "yes";
  return namesFunction(resource, fn) || typeof fn.resource.properties.FunctionName === "string" ? "no" : "unknown";
}

function namesFunction(resource: string, fn: LambdaFunction): boolean {
  return resource.includes(`\u0000${fn.resource.id}\u0000`) || (typeof fn.resource.properties.FunctionName === "string" && resource.includes(`function:${fn.resource.properties.FunctionName}`));
}

const functionNameOf = (fn: LambdaFunction) => (typeof fn.resource.properties.FunctionName === "string" ? fn.resource.properties.FunctionName : `\u0000${fn.resource.id}\u0000`);

/** IAM's wildcards, case-insensitively for actions; a deploy-time placeholder matches one ARN field. */
function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .split(/(\*|\?|\u0001[^\u0001]*\u0001)/)
    .map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.startsWith("\u0001") ? "[^:/]*" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(text);
}

/** The required action an action name was meant to be, when it is a near miss that is no real action. */
function misspelled(action: string): string | undefined {
  const lower = action.toLowerCase();
  if (!lower.startsWith("lambda:") || DURABLE_API_ACTIONS.has(lower) || lower.includes("*")) return undefined;
  return REQUIRED_ACTIONS.find((required) => editDistance(lower, required.toLowerCase()) <= 2);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length]!;
}
