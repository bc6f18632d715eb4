import { existsSync, readdirSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import type { LambdaFunction } from "./lambda-function.js";
import { isRecord } from "./template.js";

export const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs"];
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", ".aws-sam", "cdk.out", "coverage"]);

export interface CodeLink {
  readonly file: string;
  /** The export the Handler names ("handler" in "src/app.handler"). */
  readonly exportName: string;
}

/**
 * The source file of a function: Handler + CodeUri (SAM), the asset folder (CDK's
 * aws:asset:path metadata), or esbuild's EntryPoints. When the code folder is a build output
 * that is not there (CodeUri: dist), the one source file of the handler's module name under the
 * template's folder, if exactly one exists.
 */
/** Source files by name under a folder, per doctor run. */
export type FolderIndexes = Map<string, Map<string, string[]>>;

export function linkCode(fn: LambdaFunction, indexes: FolderIndexes): CodeLink | undefined {
  const handler = fn.property("Handler")?.value;
  if (typeof handler !== "string" || !handler.includes(".")) return undefined;
  const dot = handler.lastIndexOf(".");
  const module = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const codeDir = codeFolderOf(fn);
  const candidates: string[] = [];
  if (codeDir) {
    const entryPoints = fn.resource.metadata.BuildProperties;
    const entry = isRecord(entryPoints) && Array.isArray(entryPoints.EntryPoints) ? entryPoints.EntryPoints[0] : undefined;
    if (typeof entry === "string") candidates.push(join(codeDir, entry));
    candidates.push(...SOURCE_EXTENSIONS.map((extension) => join(codeDir, module + extension)));
  }
  const found = candidates.find((file) => existsSync(file)) ?? uniqueByName(fn.template.dir, basename(module), indexes);
  return found ? { file: found, exportName } : undefined;
}

function codeFolderOf(fn: LambdaFunction): string | undefined {
  const asset = fn.resource.metadata["aws:asset:path"];
  const codeUri = fn.property("CodeUri")?.value;
  const folder = typeof asset === "string" ? asset : typeof codeUri === "string" ? codeUri : undefined;
  if (folder === undefined) return undefined;
  return isAbsolute(folder) ? folder : resolve(fn.template.dir, folder);
}

function uniqueByName(root: string, name: string, indexes: FolderIndexes): string | undefined {
  let index = indexes.get(root);
  if (!index) {
    index = new Map();
    indexFolder(root, index, 0);
    indexes.set(root, index);
  }
  const matches = SOURCE_EXTENSIONS.flatMap((extension) => index.get(name + extension) ?? []).filter((file) => !/\.(test|spec)\.[cm]?[jt]sx?$/.test(file) && !file.endsWith(".d.ts"));
  return matches.length === 1 ? matches[0] : undefined;
}

function indexFolder(folder: string, index: Map<string, string[]>, depth: number): void {
  if (depth > 8) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith(".")) indexFolder(join(folder, entry.name), index, depth + 1);
    } else if (entry.isFile() && SOURCE_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) {
      const list = index.get(entry.name) ?? [];
      list.push(join(folder, entry.name));
      index.set(entry.name, list);
    }
  }
}
