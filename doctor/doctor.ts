import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkDurableConfigPresence, checkDurableConfigRange } from "./checks/durable-config.js";
import { checkIam } from "./checks/iam.js";
import { checkCodeInvokes, checkTemplateInvokes } from "./checks/invocations.js";
import { checkStepTimeout } from "./checks/step-timeout.js";
import { codeFactsOf, type CodeFacts } from "./code-facts.js";
import { linkCode, type FolderIndexes } from "./code-link.js";
import { discover, DoctorInputError } from "./discover.js";
import { CHECK_IDS, type DoctorFinding } from "./finding.js";
import { functionsOf } from "./lambda-function.js";
import { rolePoliciesOf } from "./role-policies.js";
import { parseTemplateText, TemplateSyntaxError } from "./template-document.js";
import { templateOf, type Template } from "./template.js";

export interface DoctorOptions {
  readonly cwd: string;
  /** Templates given with --template: each must be one. */
  readonly templates?: readonly string[];
  /**
   * The deploying account: invoke targets naming another account literally are cross-account.
   * Without it, the account of the template's literal IAM ARNs; code without a template is not judged.
   */
  readonly account?: string | undefined;
  /** Reads a template's text (tests give a template changed in memory at its real path, so its code still links). */
  readonly readText?: (file: string) => string;
}

export interface DoctorReport {
  readonly findings: DoctorFinding[];
  readonly templates: string[];
  readonly sources: string[];
}

/** Reads the templates and code under the paths, links each function to its code, runs every check. */
export function runDoctor(paths: readonly string[], options: DoctorOptions): DoctorReport {
  const found = discover(paths.length > 0 || options.templates?.length ? paths : ["."], options.cwd);
  const explicit = new Set((options.templates ?? []).map((file) => resolve(options.cwd, file)));
  const candidates = [...new Set([...explicit, ...found.templates])];
  const findings: DoctorFinding[] = [];
  const templates: string[] = [];
  const linked = new Set<string>();
  const caches: Caches = { code: new Map(), folders: new Map() };
  for (const file of candidates) {
    const template = readTemplate(file, explicit.has(file) || !/\.ya?ml$/.test(file), options.readText ?? ((path) => readFileSync(path, "utf8")));
    if (!template) continue;
    templates.push(file);
    findings.push(...checkTemplate(template, options.account ?? deployingAccountOf(template.document.root), linked, caches));
  }
  for (const source of found.sources) {
    if (linked.has(source)) continue;
    const code = readCode(source, caches);
    if (code) findings.push(...checkCodeInvokes(code, undefined, options.account));
  }
  return { findings: sortedUnique(findings), templates, sources: found.sources };
}

interface Caches {
  readonly code: Map<string, CodeFacts>;
  readonly folders: FolderIndexes;
}

function checkTemplate(template: Template, account: string | undefined, linked: Set<string>, caches: Caches): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  const functions = functionsOf(template);
  const durable = new Set<string>();
  const linkedCode = new Map<string, CodeFacts>();
  for (const fn of functions) {
    findings.push(...checkDurableConfigRange(fn));
    const link = linkCode(fn, caches.folders);
    const code = link ? readCode(link.file, caches) : undefined;
    if (link && code) {
      linked.add(link.file);
      linkedCode.set(fn.resource.id, code);
      findings.push(...checkDurableConfigPresence(fn, link, code));
      if (code.durableExports.has(link.exportName)) durable.add(fn.resource.id);
    }
    if (fn.durableConfig) durable.add(fn.resource.id);
  }
  const allowsLatest = (id: string) => functions.some((fn) => fn.resource.id === id && fn.allowInvokeLatest);
  for (const fn of functions) {
    if (!durable.has(fn.resource.id)) continue;
    const policies = rolePoliciesOf(fn);
    if (policies) findings.push(...checkIam(fn, policies));
    const code = linkedCode.get(fn.resource.id);
    if (code) findings.push(...checkStepTimeout(fn, code), ...checkCodeInvokes(code, fn, account, allowsLatest));
  }
  findings.push(...checkTemplateInvokes(template, functions, durable));
  return findings;
}

/** A template, or undefined for a YAML file that is no template; unreadable input is an error. */
function readTemplate(file: string, mustBeTemplate: boolean, readText: (file: string) => string): Template | undefined {
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    throw new DoctorInputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!mustBeTemplate && !/^\s*Resources\s*:/m.test(text)) return undefined;
  try {
    const template = templateOf(parseTemplateText(file, text));
    if (!template && mustBeTemplate) throw new DoctorInputError(`${file} is not a CloudFormation or SAM template: it has no Resources with a Type each`);
    return template;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new DoctorInputError(`${error.message}; fix the template's syntax (doctor reads YAML and JSON templates)`);
    throw error;
  }
}

/** IAM roles and policies live in the deploying account: the account a template's literal IAM ARNs name. */
function deployingAccountOf(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return /^arn:[^:]+:iam::(\d{12}):/.exec(value)?.[1];
  if (typeof value !== "object" || value === null || depth > 50) return undefined;
  for (const item of Object.values(value)) {
    const account = deployingAccountOf(item, depth + 1);
    if (account) return account;
  }
  return undefined;
}

function readCode(file: string, caches: Caches): CodeFacts | undefined {
  try {
    return codeFactsOf(file, caches.code);
  } catch {
    return undefined;
  }
}

function sortedUnique(findings: DoctorFinding[]): DoctorFinding[] {
  const seen = new Set<string>();
  const unique = findings.filter((finding) => {
    const key = `${finding.file}\0${finding.line}\0${finding.column}\0${finding.check}\0${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || CHECK_IDS.indexOf(a.check) - CHECK_IDS.indexOf(b.check));
}
