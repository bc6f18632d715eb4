// The functions `replayable serve` hosts, as Lambda names them: a name, published versions,
// aliases, and a DurableConfig. Each version runs in worker processes loading one handler
// export of one file.
import { createHash } from "node:crypto";
import { invalidParameter, notFound } from "./lambda-errors.js";

export const REGION = "us-east-1";
export const ACCOUNT = "000000000000";
const LATEST = "$LATEST";

export interface DurableConfig {
  ExecutionTimeout?: number | undefined;
  RetentionPeriodInDays?: number | undefined;
  /** Without it, an unqualified or $LATEST invoke is refused, as Lambda refuses it. */
  AllowInvokeLatest?: boolean | undefined;
}

export interface FunctionDefinition {
  name: string;
  /** The file a worker imports and the export it calls (Lambda's Handler: `file.export`). */
  file: string;
  exportName: string;
  durableConfig: DurableConfig;
  /** Published versions: "1", "2", ... */
  versions: string[];
  aliases: Record<string, string>;
  /** The function's environment variables (the template's Environment.Variables). */
  environment?: Record<string, string> | undefined;
}

/** One invokable version of a function: what an execution runs, for its whole life. */
export interface FunctionVersion {
  definition: FunctionDefinition;
  /** "1", ... or "$LATEST" */
  version: string;
  /** The engine's name for it (letters, digits and . _ : @ = + -). */
  engineName: string;
}

export function functionArn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? "" : `:${qualifier}`}`;
}

export const engineNameOf = (name: string, version: string) => (version === LATEST ? `${name}@LATEST` : `${name}:${version}`);

/** The engine's function name back as a function and version. */
export function parseEngineName(engineName: string): { name: string; version: string } {
  const latest = /^(.*)@LATEST$/.exec(engineName);
  if (latest) return { name: latest[1]!, version: LATEST };
  const at = engineName.lastIndexOf(":");
  return at < 0 ? { name: engineName, version: LATEST } : { name: engineName.slice(0, at), version: engineName.slice(at + 1) };
}

/** A durable execution's ARN: the version's ARN, /durable-execution/, its name and a run id. */
export function executionArnOf(engineName: string, executionId: string): string {
  const { name, version } = parseEngineName(engineName);
  const runId = createHash("sha256").update(`${engineName}\u0000${executionId}`).digest("hex").slice(0, 32);
  return `${functionArn(name, version)}/durable-execution/${executionId}/${runId}`;
}

/** The execution name (the engine's execution id) in a durable execution ARN; check it with executionArnOf. */
export function executionIdInArn(arn: string): string | undefined {
  const match = /\/durable-execution\/([^/]+)\/[^/]+$/.exec(arn);
  return match?.[1];
}

export class FunctionCatalog {
  private readonly byName = new Map<string, FunctionDefinition>();

  constructor(definitions: readonly FunctionDefinition[]) {
    for (const definition of definitions) {
      if (this.byName.has(definition.name)) throw new Error(`Two functions are named ${definition.name}: give each a distinct name.`);
      this.byName.set(definition.name, definition);
    }
  }

  get definitions(): FunctionDefinition[] {
    return [...this.byName.values()];
  }

  /** Every version an execution can run on (published versions, and $LATEST where it may be invoked). */
  versions(): FunctionVersion[] {
    return this.definitions.flatMap((definition) =>
      [...definition.versions, ...(definition.durableConfig.AllowInvokeLatest ? [LATEST] : [])].map((version) => ({ definition, version, engineName: engineNameOf(definition.name, version) })),
    );
  }

  /** The function a FunctionName (name, name:qualifier, ARN or partial ARN) and a Qualifier name, without checking the qualifier. */
  function(functionName: string, qualifier?: string): { definition: FunctionDefinition; qualifier: string | undefined } {
    const parsed = parseFunctionName(functionName);
    if (qualifier !== undefined && parsed.qualifier !== undefined && qualifier !== parsed.qualifier) {
      throw invalidParameter(`The derived qualifier from the function name (${parsed.qualifier}) does not match the specified qualifier (${qualifier}).`);
    }
    const definition = this.byName.get(parsed.name);
    if (!definition) {
      const known = this.definitions.map((d) => d.name).join(", ") || "none";
      throw notFound(`Function not found: ${functionArn(parsed.name)} (this server hosts: ${known}).`);
    }
    return { definition, qualifier: qualifier ?? parsed.qualifier };
  }

  /** The version a durable invoke runs: a version or an alias; unqualified and $LATEST only with AllowInvokeLatest. */
  resolve(functionName: string, qualifier?: string): FunctionVersion {
    const found = this.function(functionName, qualifier);
    const { definition } = found;
    const wanted = found.qualifier ?? LATEST;
    if (wanted === LATEST) {
      if (!definition.durableConfig.AllowInvokeLatest) {
        throw invalidParameter(
          `A durable function must be invoked with a qualified ARN (a version or an alias): ${definition.name} has DurableConfig without AllowInvokeLatest. ` +
            `Invoke ${definition.name}:${definition.versions.at(-1) ?? "1"}${Object.keys(definition.aliases).length ? ` or an alias (${Object.keys(definition.aliases).join(", ")})` : ""}.`,
        );
      }
      return { definition, version: LATEST, engineName: engineNameOf(definition.name, LATEST) };
    }
    const version = definition.aliases[wanted] ?? wanted;
    if (!definition.versions.includes(version)) {
      throw notFound(`Function not found: ${functionArn(definition.name, wanted)} (versions: ${definition.versions.join(", ") || "none"}; aliases: ${Object.keys(definition.aliases).join(", ") || "none"}).`);
    }
    return { definition, version, engineName: engineNameOf(definition.name, version) };
  }
}

function parseFunctionName(functionName: string): { name: string; qualifier: string | undefined } {
  const arn = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/.exec(functionName);
  const plain = /^([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/.exec(functionName);
  const match = arn ?? plain;
  if (!match) throw invalidParameter(`Invalid FunctionName ${JSON.stringify(functionName)}: give a function name, name:qualifier, or a function ARN.`);
  return { name: match[1]!, qualifier: match[2] };
}
