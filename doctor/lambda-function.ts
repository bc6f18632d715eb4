import { FUNCTION_TYPES, functionIdOf } from "./intrinsics.js";
import { isRecord, type Resource, type Template } from "./template.js";

/** A Lambda function of a template, SAM or CloudFormation, with SAM's Globals applied. */
export interface LambdaFunction {
  readonly template: Template;
  readonly resource: Resource;
  readonly sam: boolean;
  /** The property and the object that holds it (the resource's Properties or SAM's Globals), for positions. */
  property(name: string): { readonly value: unknown; readonly holder: Record<string, unknown> } | undefined;
  /** Lambda's default is 3 seconds. */
  readonly timeoutSeconds: number | undefined;
  readonly durableConfig: Record<string, unknown> | undefined;
  readonly allowInvokeLatest: boolean;
  /** A version or alias of it exists in the template (SAM AutoPublishAlias, AWS::Lambda::Version, AWS::Lambda::Alias). */
  readonly published: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 3;

export function functionsOf(template: Template): LambdaFunction[] {
  const published = new Set<string>();
  for (const resource of template.resources.values()) {
    if (resource.type === "AWS::Lambda::Version" || resource.type === "AWS::Lambda::Alias") {
      const owner = functionIdOf(resource.properties.FunctionName, template);
      if (owner) published.add(owner);
    }
  }
  const functions: LambdaFunction[] = [];
  for (const resource of template.resources.values()) {
    if (!FUNCTION_TYPES.has(resource.type)) continue;
    const sam = resource.type === "AWS::Serverless::Function";
    const property = (name: string) => {
      if (Object.hasOwn(resource.properties, name)) return { value: resource.properties[name], holder: resource.properties };
      if (sam && Object.hasOwn(template.functionGlobals, name)) return { value: template.functionGlobals[name], holder: template.functionGlobals };
      return undefined;
    };
    const durable = property("DurableConfig")?.value;
    const durableConfig = isRecord(durable) ? durable : undefined;
    const timeout = property("Timeout")?.value;
    functions.push({
      template,
      resource,
      sam,
      property,
      timeoutSeconds: timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : typeof timeout === "number" ? timeout : undefined,
      durableConfig,
      allowInvokeLatest: durableConfig?.AllowInvokeLatest === true || durableConfig?.AllowInvokeLatest === "true",
      published: published.has(resource.id) || (sam && property("AutoPublishAlias") !== undefined),
    });
  }
  return functions;
}
