import { isRecord, type Template } from "./template.js";

/**
 * Static resolution of CloudFormation's intrinsic functions to text. What cannot be known
 * before deploy (the region, the account, a parameter) becomes a placeholder; a reference to a
 * Lambda function of the template becomes a marker, so a caller can see whether a version or
 * alias follows it: `${Fn.Arn}/invocations` names the bare function, `${Fn.Arn}:live` does not.
 */
const FUNCTION = "\u0000";
const UNKNOWN = "\u0001";

export const FUNCTION_TYPES = new Set(["AWS::Lambda::Function", "AWS::Serverless::Function"]);

const unknown = (name: string) => `${UNKNOWN}${name.replace(/[:.]/g, "_")}${UNKNOWN}`;
const functionArn = (id: string) => `arn:aws:lambda:${unknown("AWS::Region")}:${unknown("AWS::AccountId")}:function:${FUNCTION}${id}${FUNCTION}`;

/** The text a value resolves to, with `variables` for Fn::Sub's second argument or a state machine's DefinitionSubstitutions. */
export function resolveText(value: unknown, template: Template, variables: Record<string, unknown> = {}, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (!isRecord(value)) return undefined;
  const [name, argument] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length !== 1) return undefined;
  const next = (item: unknown, extra = variables) => resolveText(item, template, extra, depth + 1);
  switch (name) {
    case "Ref":
      return typeof argument === "string" ? refText(argument, template) : undefined;
    case "Fn::GetAtt": {
      const [id, attribute] = Array.isArray(argument) ? argument : typeof argument === "string" ? argument.split(".") : [];
      return typeof id === "string" && typeof attribute === "string" ? getAttText(id, attribute, template) : undefined;
    }
    case "Fn::Sub": {
      const [text, own] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof text !== "string") return undefined;
      const scope = { ...variables, ...(isRecord(own) ? own : {}) };
      return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
        if (inner.startsWith("!")) return `\${${inner.slice(1)}}`;
        if (Object.hasOwn(scope, inner)) return next(scope[inner], {}) ?? unknown(inner);
        const dot = inner.indexOf(".");
        return (dot < 0 ? refText(inner, template) : getAttText(inner.slice(0, dot), inner.slice(dot + 1), template)) ?? whole;
      });
    }
    case "Fn::Join": {
      if (!Array.isArray(argument) || typeof argument[0] !== "string") return undefined;
      const parts = resolveList(argument[1], template, variables, depth + 1);
      return parts?.join(argument[0]);
    }
    case "Fn::Select": {
      if (!Array.isArray(argument)) return undefined;
      const index = Number(next(argument[0]));
      return resolveList(argument[1], template, variables, depth + 1)?.[index];
    }
    default:
      return undefined;
  }
}

function resolveList(value: unknown, template: Template, variables: Record<string, unknown>, depth: number): string[] | undefined {
  if (Array.isArray(value)) {
    const parts = value.map((item) => resolveText(item, template, variables, depth) ?? unknown("value"));
    return parts;
  }
  if (isRecord(value) && Array.isArray(value["Fn::Split"])) {
    const [separator, source] = value["Fn::Split"] as unknown[];
    const text = resolveText(source, template, variables, depth);
    return typeof separator === "string" && text !== undefined ? text.split(separator) : undefined;
  }
  return undefined;
}

function refText(name: string, template: Template): string {
  if (name === "AWS::Partition") return "aws";
  if (name === "AWS::URLSuffix") return "amazonaws.com";
  const dot = name.indexOf(".");
  if (dot > 0) {
    // SAM: `!Ref Fn.Alias` and `!Ref Fn.Version` are the AutoPublishAlias's alias and version.
    const owner = template.resources.get(name.slice(0, dot));
    if (owner && FUNCTION_TYPES.has(owner.type)) return `${functionArn(owner.id)}:${unknown(name)}`;
    return unknown(name);
  }
  const resource = template.resources.get(name);
  if (!resource) return unknown(name);
  if (FUNCTION_TYPES.has(resource.type)) return `${FUNCTION}${name}${FUNCTION}`;
  const owner = resource.type === "AWS::Lambda::Version" || resource.type === "AWS::Lambda::Alias" ? functionIdOf(resource.properties.FunctionName, template) : undefined;
  if (owner) {
    const alias = resource.type === "AWS::Lambda::Alias" && typeof resource.properties.Name === "string" ? resource.properties.Name : unknown(name);
    return `${functionArn(owner)}:${alias}`;
  }
  return unknown(name);
}

function getAttText(id: string, attribute: string, template: Template): string {
  const resource = template.resources.get(id);
  if (resource && FUNCTION_TYPES.has(resource.type) && attribute === "Arn") return functionArn(id);
  return unknown(`${id}.${attribute}`);
}

/** The logical id of the template function a value names, if it names one. */
export function functionIdOf(value: unknown, template: Template): string | undefined {
  const text = resolveText(value, template);
  return text === undefined ? undefined : functionTargetsIn(text, template)[0]?.functionId;
}

export interface FunctionTarget {
  readonly functionId: string;
  /** "" for the bare function, "$LATEST", a version number, an alias name, or a placeholder for one. */
  readonly qualifier: string;
}

/**
 * The template functions a resolved text names, with the qualifier written after each: by
 * reference (Ref/GetAtt/Sub) or by the literal FunctionName a function of the template has.
 */
export function functionTargetsIn(text: string, template: Template): FunctionTarget[] {
  const targets: FunctionTarget[] = [];
  for (const match of text.matchAll(/\u0000([^\u0000]+)\u0000(?::([^:/\s"',}]*))?/g)) {
    targets.push({ functionId: match[1]!, qualifier: match[2] ?? "" });
  }
  const byName = literalFunctionNames(template);
  if (byName.size > 0) {
    for (const match of text.matchAll(/(?:^|function:|["'\s])([A-Za-z0-9_-]+)(?::([^:/\s"',}]*))?(?=$|[/\s"',}])/g)) {
      const id = byName.get(match[1]!);
      if (id) targets.push({ functionId: id, qualifier: match[2] ?? "" });
    }
  }
  return targets;
}

const namesCache = new WeakMap<Template, Map<string, string>>();
function literalFunctionNames(template: Template): Map<string, string> {
  let names = namesCache.get(template);
  if (!names) {
    names = new Map();
    for (const resource of template.resources.values()) {
      if (FUNCTION_TYPES.has(resource.type) && typeof resource.properties.FunctionName === "string") names.set(resource.properties.FunctionName, resource.id);
    }
    namesCache.set(template, names);
  }
  return names;
}

/** The text as a person would write it: markers and placeholders back as `${...}`. */
export function displayText(text: string): string {
  return text.replace(/\u0000([^\u0000]+)\u0000/g, "${$1}").replace(/\u0001([^\u0001]+)\u0001/g, (_, name: string) => `\${${name.replace(/_/g, ".").replace(/^AWS\.\./, "AWS::")}}`);
}

/** Part of the text is only known at deploy time (a parameter, the region, an attribute). */
export const hasPlaceholder = (text: string) => text.includes(UNKNOWN);

/** The literal 12-digit account of an ARN, when the text is one and names it literally. */
export function literalAccountOf(text: string): string | undefined {
  return /^arn:[^:]+:lambda:[^:]*:(\d{12}):function:/.exec(text)?.[1] ?? /^(\d{12}):function:/.exec(text)?.[1];
}
