import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { SOURCE_EXTENSIONS } from "./code-link.js";

export class DoctorInputError extends Error {
  override name = "DoctorInputError";
}

const SKIPPED = new Set(["node_modules", ".git", ".aws-sam", "coverage", "dist"]);
const TEMPLATE_FILE = /(^template\.(ya?ml|json)$)|(\.template\.(ya?ml|json)$)/;

export interface Inputs {
  /** Template candidates: files named like templates, CDK's cdk.out/*.template.json, every .yaml/.yml. */
  readonly templates: string[];
  readonly sources: string[];
}

/** The templates and source files under the given paths (a folder is searched, a file taken as it is). */
export function discover(paths: readonly string[], cwd: string): Inputs {
  const inputs: Inputs = { templates: [], sources: [] };
  for (const path of paths) {
    const full = resolve(cwd, path);
    if (!existsSync(full)) throw new DoctorInputError(`${path} does not exist; give a template, a source file or a folder`);
    if (statSync(full).isDirectory()) walk(full, inputs, 0);
    else if (isSource(full)) inputs.sources.push(full);
    else inputs.templates.push(full);
  }
  return inputs;
}

function walk(folder: string, inputs: Inputs, depth: number): void {
  if (depth > 8) return;
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "cdk.out") inputs.templates.push(...readdirSync(path).filter((name) => name.endsWith(".template.json")).sort().map((name) => join(path, name)));
      else if (!SKIPPED.has(entry.name) && !entry.name.startsWith(".")) walk(path, inputs, depth + 1);
    } else if (entry.isFile()) {
      if (/\.ya?ml$/.test(entry.name) || TEMPLATE_FILE.test(entry.name)) inputs.templates.push(path);
      else if (isSource(path)) inputs.sources.push(path);
    }
  }
}

const isSource = (file: string) => SOURCE_EXTENSIONS.some((extension) => file.endsWith(extension)) && !file.endsWith(".d.ts") && !basename(file).startsWith(".");
