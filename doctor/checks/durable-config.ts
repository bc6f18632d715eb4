import type { CodeFacts } from "../code-facts.js";
import type { CodeLink } from "../code-link.js";
import { DURABLE_CONFIG_PROPERTIES } from "../durable-facts.js";
import type { DoctorFinding } from "../finding.js";
import type { LambdaFunction } from "../lambda-function.js";
import { relativeToTemplate } from "./relative.js";
import { findingAt } from "./finding-at.js";

const SUGGESTED_CONFIG = "DurableConfig:\n  ExecutionTimeout: 3600    # seconds, 1 to 31622400\n  RetentionPeriodInDays: 14 # 1 to 90";

/** durable-config-missing and durable-config-unused: DurableConfig exactly where the code has a durable handler. */
export function checkDurableConfigPresence(fn: LambdaFunction, link: CodeLink, code: CodeFacts): DoctorFinding[] {
  const { template, resource } = fn;
  const durable = code.durableExports.has(link.exportName);
  const where = `${relativeToTemplate(template, code.file)} (export ${link.exportName})`;
  if (durable && !fn.durableConfig) {
    return [
      findingAt(template, resource.properties, "Handler", "durable-config-missing", resource.id, `${resource.id}'s handler ${where} is a durable handler, but the function has no DurableConfig: Lambda runs it as a plain function and it fails at its first durable operation`, SUGGESTED_CONFIG),
    ];
  }
  // A file that imports an SDK but in which the analysis saw no handler may re-export one: unknown.
  if (!durable && fn.durableConfig && !(code.mentionsDurable && code.durableExports.size === 0)) {
    const config = fn.property("DurableConfig")!;
    return [
      findingAt(template, config.holder, "DurableConfig", "durable-config-unused", resource.id, `${resource.id} has a DurableConfig, but its handler ${where} is not a durable handler (no withDurableExecution): every invocation starts a durable execution it never checkpoints`, `# remove DurableConfig from ${resource.id}, or wrap the handler:\nexport const ${link.exportName} = withDurableExecution(async (event, context) => { ... });`),
    ];
  }
  return [];
}

/** durable-config-range: the properties CloudFormation accepts, in their ranges. */
export function checkDurableConfigRange(fn: LambdaFunction): DoctorFinding[] {
  const config = fn.durableConfig;
  if (!config) return [];
  const { template, resource } = fn;
  const findings: DoctorFinding[] = [];
  const known = DURABLE_CONFIG_PROPERTIES as Record<string, { required: boolean; minimum?: number; maximum?: number; unit?: string }>;
  for (const [name, value] of Object.entries(config)) {
    const rule = known[name];
    if (!rule) {
      findings.push(findingAt(template, config, name, "durable-config-range", resource.id, `DurableConfig has no property ${name} (it has ${Object.keys(known).join(", ")}): CloudFormation rejects the template`, `# remove ${name}`));
      continue;
    }
    if (rule.minimum === undefined || typeof value === "object") continue;
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < rule.minimum || number > rule.maximum!) {
      findings.push(
        findingAt(template, config, name, "durable-config-range", resource.id, `DurableConfig.${name} is ${JSON.stringify(value)}; it must be a whole number of ${rule.unit} from ${rule.minimum} to ${rule.maximum}`, `${name}: ${Math.min(Math.max(Math.round(Number(number) || rule.minimum), rule.minimum), rule.maximum!)}`),
      );
    }
  }
  for (const [name, rule] of Object.entries(known)) {
    if (rule.required && !(name in config)) {
      const holder = fn.property("DurableConfig")!.holder;
      findings.push(findingAt(template, holder, "DurableConfig", "durable-config-range", resource.id, `DurableConfig has no ${name}, which is required`, `DurableConfig:\n  ${name}: 3600`));
    }
  }
  return findings;
}
