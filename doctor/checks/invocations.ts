import { qualifierOf } from "../../analysis/index.js";
import type { CodeFacts } from "../code-facts.js";
import type { DoctorFinding } from "../finding.js";
import { displayText, functionTargetsIn, hasPlaceholder, literalAccountOf, resolveText } from "../intrinsics.js";
import { invokePlacesOf } from "../invoke-places.js";
import type { LambdaFunction } from "../lambda-function.js";
import { isRecord, type Template } from "../template.js";
import { findingAt, findingAtResource } from "./finding-at.js";
import { relativeToTemplate } from "./relative.js";

const qualifiedFix = (id: string) => `!Ref ${id}.Alias    # SAM, with AutoPublishAlias: live on ${id}\n# or !Ref ${id}Alias / !Ref ${id}Version (AWS::Lambda::Alias / AWS::Lambda::Version)`;

/**
 * unqualified-durable-invoke (template side): every place that names a durable function
 * without a version or alias, or with $LATEST, while its DurableConfig does not set
 * AllowInvokeLatest; and a durable function nothing publishes a version of.
 */
export function checkTemplateInvokes(template: Template, functions: readonly LambdaFunction[], durable: ReadonlySet<string>): DoctorFinding[] {
  const byId = new Map(functions.map((fn) => [fn.resource.id, fn]));
  const strict = (id: string) => durable.has(id) && !byId.get(id)!.allowInvokeLatest;
  const findings: DoctorFinding[] = [];
  for (const resource of template.resources.values()) {
    for (const place of invokePlacesOf(resource)) {
      // Step Functions substitutes DefinitionSubstitutions into every string of the definition.
      const value = place.variables && typeof place.value === "string" ? { "Fn::Sub": place.value } : place.value;
      const text = resolveText(value, template, place.variables);
      if (text === undefined) continue;
      for (const target of functionTargetsIn(text, template)) {
        if (!strict(target.functionId) || (target.qualifier !== "" && target.qualifier !== "$LATEST")) continue;
        const how = target.qualifier === "" ? "the unqualified function" : "$LATEST";
        findings.push(
          findingAt(template, place.holder, place.key, "unqualified-durable-invoke", resource.id, `${place.what} invokes ${how} ${target.functionId} (${displayText(text)}); Lambda starts a durable execution only through a published version or alias unless DurableConfig.AllowInvokeLatest is true`, qualifiedFix(target.functionId)),
        );
      }
    }
  }
  for (const fn of functions) {
    const { id } = fn.resource;
    const events = fn.sam ? fn.resource.properties.Events : undefined;
    if (strict(id) && isRecord(events) && Object.keys(events).length > 0 && fn.property("AutoPublishAlias") === undefined) {
      findings.push(
        findingAt(template, fn.resource.properties, "Events", "unqualified-durable-invoke", id, `${id}'s Events invoke the unqualified function (SAM attaches them to the alias only with AutoPublishAlias); Lambda starts a durable execution only through a published version or alias`, "AutoPublishAlias: live"),
      );
    }
    if (strict(id) && !fn.published) {
      findings.push(
        findingAtResource(template, id, "unqualified-durable-invoke", `nothing in this template publishes a version of ${id} and ${fn.durableConfig ? "its DurableConfig does not set AllowInvokeLatest" : "it has no DurableConfig with AllowInvokeLatest"}: Lambda refuses to start its durable executions through the unqualified ARN or $LATEST, so no caller can start one`, `AutoPublishAlias: live    # SAM; or an AWS::Lambda::Version and AWS::Lambda::Alias`),
      );
    }
  }
  return findings;
}

/**
 * unqualified-durable-invoke and cross-account-invoke (code side): `context.invoke` targets in
 * a function's code, literal or passed in an environment variable the template sets.
 */
export function checkCodeInvokes(code: CodeFacts, fn: LambdaFunction | undefined, account: string | undefined, allowsLatest: (id: string) => boolean = () => false): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  const resource = fn?.resource.id ?? "";
  for (const site of code.invokeTargetFindings) {
    const { finding } = site;
    findings.push({ file: site.file, line: site.line, column: site.column, check: "unqualified-durable-invoke", resource, message: `context.invoke target ${finding.source} ${finding.problem}: Lambda starts a durable execution only through a published version or alias`, fix: finding.fix });
  }
  for (const site of code.invokes) {
    if (site.target.kind === "literal") {
      const foreign = crossAccount(site.target.text, account);
      if (foreign) findings.push({ file: site.file, line: site.line, column: site.column, check: "cross-account-invoke", resource, message: foreign, fix: "# invoke a function of this account; reach the other account through an API, a queue or EventBridge" });
      continue;
    }
    const variables = fn?.property("Environment")?.value;
    const set = isRecord(variables) && isRecord(variables.Variables) ? variables.Variables : undefined;
    if (!fn || !set || set[site.target.name] === undefined) continue;
    const text = resolveText(set[site.target.name], fn.template);
    if (text === undefined) continue;
    const where = `context.invoke(process.env.${site.target.name}) at ${relativeToTemplate(fn.template, site.file)}:${site.line}`;
    const targets = functionTargetsIn(text, fn.template);
    // A value with a deploy-time placeholder in it (a parameter, the region) cannot be judged.
    const qualifier = targets[0]?.qualifier ?? (hasPlaceholder(text) ? undefined : qualifierOf(text, true));
    if ((qualifier === "" || qualifier === "$LATEST") && !(targets[0] && allowsLatest(targets[0].functionId))) {
      findings.push(findingAt(fn.template, set, site.target.name, "unqualified-durable-invoke", resource, `${where} receives ${displayText(text)}, ${qualifier === "" ? "a function without a version or alias" : "$LATEST"}: Lambda starts a durable execution only through a published version or alias`, `${site.target.name}: ${targets[0] ? qualifiedFix(targets[0].functionId).split("\n")[0] : "<function>:<alias>"}`));
    }
    const foreign = crossAccount(text, account);
    if (foreign) findings.push(findingAt(fn.template, set, site.target.name, "cross-account-invoke", resource, `${where}: ${foreign}`, `${site.target.name}: !Sub "arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:<name>:<alias>"`));
  }
  return findings;
}

/** A target naming an account literally, when the deploying account is known and is another one. */
function crossAccount(text: string, account: string | undefined): string | undefined {
  const named = literalAccountOf(text);
  if (!named || !account || named === account) return undefined;
  return `the target ${displayText(text)} is in account ${named}, but the stack deploys to ${account}: context.invoke cannot call a function in another account`;
}
