import { DURABLE_MANAGED_POLICIES } from "./durable-facts.js";
import { resolveText } from "./intrinsics.js";
import type { LambdaFunction } from "./lambda-function.js";
import { isRecord, type Template } from "./template.js";

/** One IAM statement as written in the template. */
export interface Statement {
  readonly effect: "Allow" | "Deny";
  /** Action (or NotAction) entries with the array or statement that holds each, for positions. */
  readonly actions: readonly { readonly action: string; readonly holder: object; readonly key: string | number }[];
  readonly notAction: boolean;
  /** Resolved Resource texts; undefined for one that cannot be resolved. */
  readonly resources: readonly (string | undefined)[];
  readonly notResource: boolean;
  readonly statement: Record<string, unknown>;
  /** The logical id of the resource that holds the statement (a role, a policy, or the function for SAM Policies). */
  readonly owner: string;
}

/** Everything the template says a function's execution role may do. */
export interface RolePolicies {
  readonly statements: readonly Statement[];
  /** An AWS managed policy that grants the durable actions, if one is attached. */
  readonly durableManagedPolicy: string | undefined;
  /** False when part of the role's policies is outside the template (a customer managed policy, an imported role). */
  readonly complete: boolean;
  /** Where the function names its role (or the function itself for a SAM-generated role). */
  readonly where: { readonly holder: object; readonly key: string };
}

export function rolePoliciesOf(fn: LambdaFunction): RolePolicies | undefined {
  const { template } = fn;
  const role = fn.property("Role");
  const collector = new Collector(template);
  if (!role) {
    if (!fn.sam) return undefined;
    // SAM generates the role: AWSLambdaBasicDurableExecutionRolePolicy when DurableConfig is set
    // (AWSLambdaBasicExecutionRole otherwise), plus what the Policies property adds.
    if (fn.durableConfig) collector.managed("AWSLambdaBasicDurableExecutionRolePolicy");
    const policies = fn.property("Policies")?.value;
    for (const policy of policies === undefined ? [] : Array.isArray(policies) ? policies : [policies]) collector.samPolicy(policy, fn.resource.id);
    return collector.result({ holder: fn.resource.properties, key: "Handler" });
  }
  const roleId = roleIdOf(role.value);
  const roleResource = roleId ? template.resources.get(roleId) : undefined;
  if (!roleResource || roleResource.type !== "AWS::IAM::Role") return undefined;
  const properties = roleResource.properties;
  for (const policy of asArray(properties.Policies)) if (isRecord(policy)) collector.document(policy.PolicyDocument, roleResource.id);
  for (const arn of asArray(properties.ManagedPolicyArns)) collector.managedArn(arn);
  for (const resource of template.resources.values()) {
    const attached =
      (resource.type === "AWS::IAM::Policy" || resource.type === "AWS::IAM::ManagedPolicy") && asArray(resource.properties.Roles).some((entry) => refersTo(entry, roleResource.id));
    const rolePolicy = resource.type === "AWS::IAM::RolePolicy" && refersTo(resource.properties.RoleName, roleResource.id);
    if (attached || rolePolicy) collector.document(resource.properties.PolicyDocument, resource.id);
  }
  return collector.result({ holder: role.holder, key: "Role" });
}

class Collector {
  readonly statements: Statement[] = [];
  durableManagedPolicy: string | undefined;
  complete = true;
  constructor(private readonly template: Template) {}

  result(where: RolePolicies["where"]): RolePolicies {
    return { statements: this.statements, durableManagedPolicy: this.durableManagedPolicy, complete: this.complete, where };
  }

  managed(name: string): void {
    if (DURABLE_MANAGED_POLICIES.has(name)) this.durableManagedPolicy ??= name;
  }

  managedArn(value: unknown): void {
    if (isRecord(value) && typeof value.Ref === "string") {
      const policy = this.template.resources.get(value.Ref);
      if (policy?.type === "AWS::IAM::ManagedPolicy") return this.document(policy.properties.PolicyDocument, policy.id);
    }
    const text = resolveText(value, this.template);
    const awsManaged = text ? /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(text) : null;
    if (awsManaged) this.managed(awsManaged[1]!);
    else this.complete = false;
  }

  /** SAM's Policies entries: a managed policy name or ARN, a policy document, or a policy template (none grants the durable actions). */
  samPolicy(policy: unknown, owner: string): void {
    if (typeof policy === "string") {
      if (policy.startsWith("arn:")) this.managedArn(policy);
      else this.managed(policy);
    } else if (isRecord(policy) && "Statement" in policy) {
      this.document(policy, owner);
    } else if (!isRecord(policy)) {
      this.managedArn(policy);
    }
  }

  document(document: unknown, owner: string): void {
    if (!isRecord(document)) {
      this.complete = false;
      return;
    }
    for (const statement of asArray(document.Statement)) {
      if (!isRecord(statement)) continue;
      const notAction = "NotAction" in statement;
      const actionKey = notAction ? "NotAction" : "Action";
      const actionValue = statement[actionKey];
      const actions = Array.isArray(actionValue)
        ? actionValue.flatMap((action, index) => (typeof action === "string" ? [{ action, holder: actionValue as object, key: index }] : []))
        : typeof actionValue === "string"
          ? [{ action: actionValue, holder: statement as object, key: actionKey }]
          : [];
      const notResource = "NotResource" in statement;
      const resources = asArray(statement[notResource ? "NotResource" : "Resource"]).map((resource) => resolveText(resource, this.template));
      this.statements.push({ effect: statement.Effect === "Deny" ? "Deny" : "Allow", actions, notAction, resources, notResource, statement, owner });
    }
  }
}

function roleIdOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const getAtt = value["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
  return typeof value.Ref === "string" ? value.Ref : undefined;
}

const refersTo = (value: unknown, id: string) => isRecord(value) && value.Ref === id;
const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
