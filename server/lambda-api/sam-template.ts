// Functions from a SAM or CloudFormation template, as `sam deploy` would create them: each
// AWS::Serverless::Function (Globals.Function merged in) with its Handler in CodeUri, and each
// AWS::Lambda::Function with its Handler in Code (a local directory, as before `aws
// cloudformation package`), with their DurableConfig and Environment; AutoPublishAlias publishes
// version 1 and that alias; AWS::Lambda::Version resources publish versions (in the template's
// order) and AWS::Lambda::Alias resources name one.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DurableConfig, FunctionDefinition } from "./functions.js";

type Node = Record<string, unknown>;

const HANDLER_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];

export async function readSamTemplate(templatePath: string): Promise<FunctionDefinition[]> {
  const text = readFileSync(templatePath, "utf8");
  const { parse } = await import("yaml");
  // CloudFormation's short-form functions (!Ref, !GetAtt, !Sub, ...) as their long forms.
  const intrinsic = (tag: string, key: string, kind: "scalar" | "seq" | "map") => ({
    tag: `!${tag}`,
    ...(kind === "scalar" ? {} : { collection: kind }),
    resolve: (value: unknown) => ({ [key]: kind === "scalar" ? String(value) : (value as { toJSON(): unknown }).toJSON?.() ?? value }),
  });
  const names = ["Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "And", "Equals", "If", "Not", "Or", "Condition", "GetAtt"];
  const tags = [intrinsic("Ref", "Ref", "scalar"), ...names.flatMap((n) => (["scalar", "seq", "map"] as const).map((kind) => intrinsic(n, n === "Ref" || n === "Condition" ? n : `Fn::${n}`, kind)))];
  const template = parse(text, { customTags: tags as never }) as Node | null;
  const resources = (template?.["Resources"] ?? {}) as Record<string, Node>;
  if (typeof resources !== "object" || Object.keys(resources).length === 0) throw new Error("the template has no Resources.");
  const globals = ((template?.["Globals"] as Node | undefined)?.["Function"] ?? {}) as Node;
  const directory = path.dirname(templatePath);

  const functions = new Map<string, FunctionDefinition>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource?.["Type"];
    if (type !== SERVERLESS_FUNCTION && type !== LAMBDA_FUNCTION) continue;
    const properties = { ...(type === SERVERLESS_FUNCTION ? globals : {}), ...((resource["Properties"] ?? {}) as Node) };
    const handler = properties["Handler"];
    if (typeof handler !== "string" || !handler.includes(".")) throw new Error(`${logicalId}: Handler ${JSON.stringify(handler)} is not "<file>.<export>".`);
    const codeDir = type === SERVERLESS_FUNCTION ? (typeof properties["CodeUri"] === "string" ? properties["CodeUri"] : ".") : localCode(logicalId, properties["Code"]);
    const dot = handler.lastIndexOf(".");
    const entryPoints = ((resource["Metadata"] as Node | undefined)?.["BuildProperties"] as Node | undefined)?.["EntryPoints"];
    const file = handlerFile(path.resolve(directory, codeDir), handler.slice(0, dot), Array.isArray(entryPoints) ? entryPoints.map(String) : []);
    const alias = type === SERVERLESS_FUNCTION && typeof properties["AutoPublishAlias"] === "string" ? properties["AutoPublishAlias"] : undefined;
    const name = typeof properties["FunctionName"] === "string" ? properties["FunctionName"] : logicalId;
    functions.set(logicalId, {
      name,
      file,
      exportName: handler.slice(dot + 1),
      durableConfig: durableConfigOf(properties["DurableConfig"]),
      versions: alias ? ["1"] : [],
      aliases: alias ? { [alias]: "1" } : {},
      environment: stringValues(((properties["Environment"] as Node | undefined)?.["Variables"] ?? {}) as Node),
    });
  }
  if (functions.size === 0) throw new Error(`the template has no ${SERVERLESS_FUNCTION} or ${LAMBDA_FUNCTION} resources.`);

  // Versions first (each publishes the next number, in the template's order), then aliases,
  // which may name a version by number or with !GetAtt <Version>.Version.
  const versionOf = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.["Type"] !== "AWS::Lambda::Version") continue;
    const target = functionOf(logicalId, resource, functions);
    const version = String(target.versions.length + 1);
    target.versions.push(version);
    versionOf.set(logicalId, version);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.["Type"] !== "AWS::Lambda::Alias") continue;
    const target = functionOf(logicalId, resource, functions);
    const properties = (resource["Properties"] ?? {}) as Node;
    const name = properties["Name"];
    if (typeof name !== "string") throw new Error(`${logicalId}: an AWS::Lambda::Alias needs a Name.`);
    const version = aliasVersion(logicalId, properties["FunctionVersion"], versionOf) ?? target.versions.at(-1);
    if (version === undefined || !target.versions.includes(version)) {
      throw new Error(`${logicalId}: alias ${name} of ${target.name} names ${version === undefined ? "no version, and the function publishes none" : `version ${version}, which the template does not publish (versions: ${target.versions.join(", ") || "none"})`}.`);
    }
    target.aliases[name] = version;
  }
  return [...functions.values()];
}

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const LAMBDA_FUNCTION = "AWS::Lambda::Function";

/** An AWS::Lambda::Function's Code as a local directory, as a template has it before `aws cloudformation package` uploads it. */
function localCode(logicalId: string, code: unknown): string {
  if (typeof code === "string") return code;
  const given = typeof code === "object" && code !== null ? Object.keys(code).join(", ") : JSON.stringify(code);
  throw new Error(`${logicalId}: Code ${given ? `(${given}) ` : ""}is not a local directory. replayable serve runs local code: give Code as the directory of the built handler (as before \`aws cloudformation package\`), or use AWS::Serverless::Function with CodeUri.`);
}

/** The function a Version or Alias resource's FunctionName (!Ref, or the function's name) names. */
function functionOf(logicalId: string, resource: Node, functions: Map<string, FunctionDefinition>): FunctionDefinition {
  const ref = refOf(((resource["Properties"] ?? {}) as Node)["FunctionName"]);
  const target = functions.get(ref ?? "") ?? [...functions.values()].find((f) => f.name === ref);
  if (!target) throw new Error(`${logicalId}: FunctionName ${JSON.stringify(ref)} is not a function of this template: use !Ref <function's logical id>.`);
  return target;
}

/** An alias's FunctionVersion: a number, or !GetAtt <Version logical id>.Version. */
function aliasVersion(logicalId: string, value: unknown, versionOf: Map<string, string>): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" || typeof value === "number") return String(value);
  const getAtt = (value as Node)["Fn::GetAtt"];
  const [resource, attribute] = typeof getAtt === "string" ? getAtt.split(".") : Array.isArray(getAtt) ? getAtt.map(String) : [];
  const version = attribute === "Version" ? versionOf.get(resource ?? "") : undefined;
  if (version === undefined) throw new Error(`${logicalId}: FunctionVersion ${JSON.stringify(value)} is neither a version number nor !GetAtt <AWS::Lambda::Version>.Version.`);
  return version;
}

/** Lambda's Node.js runtime: `<module>.<export>` is <CodeUri>/<module>.js (.mjs, .cjs); a SAM esbuild build names its TypeScript entry points. */
function handlerFile(codeDir: string, module: string, entryPoints: string[]): string {
  const base = path.join(codeDir, module);
  const candidates = [...HANDLER_EXTENSIONS.map((ext) => base + ext), ...entryPoints.map((entry) => path.join(codeDir, entry)).filter((entry) => path.parse(entry).name === path.basename(module))];
  // A file not built yet is reported when its function is first invoked (Runtime.ImportModuleError).
  return candidates.find((file) => existsSync(file)) ?? `${base}.js`;
}

function durableConfigOf(value: unknown): DurableConfig {
  if (value === undefined) return {};
  const config = value as Node;
  const number = (key: string) => (typeof config[key] === "number" ? (config[key] as number) : undefined);
  return { ExecutionTimeout: number("ExecutionTimeout"), RetentionPeriodInDays: number("RetentionPeriodInDays"), AllowInvokeLatest: config["AllowInvokeLatest"] === true };
}

function refOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const ref = (value as Node | undefined)?.["Ref"];
  return typeof ref === "string" ? ref : undefined;
}

function stringValues(variables: Node): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean").map(([k, v]) => [k, String(v)]));
}
