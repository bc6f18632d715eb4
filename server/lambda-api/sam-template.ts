// Functions from a SAM or CloudFormation template, as `sam deploy` would create them: each
// AWS::Serverless::Function (Globals.Function merged in) with its Handler in CodeUri, its
// DurableConfig and Environment, and with AutoPublishAlias a published version 1 and that
// alias; AWS::Lambda::Version and AWS::Lambda::Alias resources add versions and aliases.
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
    if (resource?.["Type"] !== "AWS::Serverless::Function") continue;
    const properties = { ...globals, ...((resource["Properties"] ?? {}) as Node) };
    const handler = properties["Handler"];
    if (typeof handler !== "string" || !handler.includes(".")) throw new Error(`${logicalId}: Handler ${JSON.stringify(handler)} is not "<file>.<export>".`);
    const codeUri = typeof properties["CodeUri"] === "string" ? properties["CodeUri"] : ".";
    const dot = handler.lastIndexOf(".");
    const entryPoints = ((resource["Metadata"] as Node | undefined)?.["BuildProperties"] as Node | undefined)?.["EntryPoints"];
    const file = handlerFile(path.resolve(directory, codeUri), handler.slice(0, dot), Array.isArray(entryPoints) ? entryPoints.map(String) : []);
    const alias = typeof properties["AutoPublishAlias"] === "string" ? properties["AutoPublishAlias"] : undefined;
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
  for (const [logicalId, resource] of Object.entries(resources)) {
    const properties = (resource?.["Properties"] ?? {}) as Node;
    const target = functions.get(refOf(properties["FunctionName"]) ?? "");
    if (resource?.["Type"] === "AWS::Lambda::Version" && target) {
      target.versions.push(String(target.versions.length + 1));
    } else if (resource?.["Type"] === "AWS::Lambda::Alias" && target && typeof properties["Name"] === "string") {
      const version = typeof properties["FunctionVersion"] === "string" ? properties["FunctionVersion"] : target.versions.at(-1);
      if (version === undefined) throw new Error(`${logicalId}: alias ${properties["Name"]} of ${target.name} names no version, and the function publishes none.`);
      target.aliases[properties["Name"]] = version;
    }
  }
  if (functions.size === 0) throw new Error("the template has no AWS::Serverless::Function resources.");
  return [...functions.values()];
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
