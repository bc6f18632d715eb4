import fs from "node:fs";
import path from "node:path";
import MagicString from "magic-string";
import { formatDiagnostic, type OperationIdEntry } from "./plan.js";
import { planForText } from "./transform.js";

/**
 * `replayable ids`: the path for compilers without a transformer hook (TypeScript 7). Lists
 * every handler's operations and their IDs, pins computed names into the source, or checks
 * them against a committed manifest.
 */

export interface IdsEntry extends OperationIdEntry {
  /** Relative to the working directory, with "/" separators. */
  readonly file: string;
}

export interface CommandIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const MANIFEST = "replayable.ids.json";
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "build", "coverage", ".git"]);

const USAGE = `Usage: replayable ids [files or folders...] [--json] [--write] [--check] [--manifest <file>]

  (no flag)   list every durable operation and its ID
  --json      print [{file, handler, type, id, line, column, explicit}], one entry per operation call
  --write     pin computed IDs into the source as string literals (formatting is kept)
  --check     compare with the manifest (default ${MANIFEST}); fail when an operation recorded
              there would be renamed or dropped. Create the manifest with: replayable ids --json > ${MANIFEST}
`;

interface Parsed {
  readonly paths: string[];
  readonly json: boolean;
  readonly write: boolean;
  readonly check: boolean;
  readonly manifest: string;
}

function parse(args: readonly string[]): Parsed | string {
  const paths: string[] = [];
  let json = false;
  let write = false;
  let check = false;
  let manifest = MANIFEST;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--json") json = true;
    else if (arg === "--write") write = true;
    else if (arg === "--check") check = true;
    else if (arg === "--manifest") {
      const value = args[++index];
      if (!value) return "--manifest needs a file name";
      manifest = value;
    } else if (arg === "--help" || arg === "-h") return "";
    else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else paths.push(arg);
  }
  return { paths, json, write, check, manifest };
}

/** Source files under the given paths (default: the working directory), sorted. */
export function collectFiles(cwd: string, paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (target: string): void => {
    const stat = fs.statSync(target);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
        if (entry.isDirectory() && (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith("."))) continue;
        walk(path.join(target, entry.name));
      }
    } else if (SOURCE_FILE.test(target) && !target.endsWith(".d.ts")) {
      files.push(target);
    }
  };
  for (const target of paths.length > 0 ? paths : ["."]) walk(path.resolve(cwd, target));
  return [...new Set(files)].sort();
}

function relative(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join("/");
}

/** The IDs of every durable operation in the files. */
export function listIds(cwd: string, files: readonly string[]): IdsEntry[] {
  return files.flatMap((file) => {
    const plan = planForText(fs.readFileSync(file, "utf8"), file);
    return plan.ids.map((entry) => ({ file: relative(cwd, file), ...entry }));
  });
}

/** Writes the computed names into the files as string literals; returns how many were pinned per file. */
export function pinIds(files: readonly string[]): Map<string, number> {
  const pinned = new Map<string, number>();
  for (const file of files) {
    const code = fs.readFileSync(file, "utf8");
    const plan = planForText(code, file);
    const edits = plan.edits.filter((edit) => edit.kind === "insert-name" || edit.kind === "replace-name");
    if (edits.length === 0) continue;
    const text = new MagicString(code);
    for (const edit of edits) {
      if (edit.start === edit.end) text.appendLeft(edit.start, edit.text);
      else text.overwrite(edit.start, edit.end, edit.text);
    }
    fs.writeFileSync(file, text.toString());
    pinned.set(file, edits.length);
  }
  return pinned;
}

export interface CheckProblem {
  readonly recorded: IdsEntry;
  readonly message: string;
}

/**
 * Operations recorded in the manifest that the current code no longer has: in-flight
 * executions that recorded them would stop at a name they cannot find on replay.
 */
export function checkIds(manifest: readonly IdsEntry[], current: readonly IdsEntry[]): CheckProblem[] {
  const remaining = new Map<string, IdsEntry[]>();
  for (const entry of current) remaining.set(`${entry.type}\u0000${entry.id}`, [...(remaining.get(`${entry.type}\u0000${entry.id}`) ?? []), entry]);
  const newIds = new Set(current.map((entry) => entry.id));
  for (const entry of manifest) newIds.delete(entry.id);
  const problems: CheckProblem[] = [];
  for (const recorded of manifest) {
    const matches = remaining.get(`${recorded.type}\u0000${recorded.id}`);
    if (matches && matches.length > 0) {
      matches.shift();
      continue;
    }
    const candidates = current.filter((entry) => newIds.has(entry.id) && entry.type === recorded.type && entry.handler === recorded.handler);
    const hint = candidates.length > 0 ? ` It looks renamed to ${candidates.map((entry) => `"${entry.id}" (${entry.file}:${entry.line})`).join(" or ")}.` : " It was dropped.";
    problems.push({
      recorded,
      message:
        `${recorded.type} "${recorded.id}" of handler ${recorded.handler} (${recorded.file}:${recorded.line} in the manifest) is no longer in the code.${hint} ` +
        `Executions in flight that recorded it cannot replay past it: keep its name (pin names with \`replayable ids --write\`) or deploy the change as a new version, then update the manifest.`,
    });
  }
  return problems;
}

/** Runs `replayable ids ...`; returns the exit code. */
export function runIdsCommand(args: readonly string[], io: CommandIo): number {
  const parsed = parse(args);
  if (typeof parsed === "string") {
    if (parsed) io.stderr(`replayable ids: ${parsed}\n`);
    io.stderr(USAGE);
    return parsed ? 2 : 0;
  }
  let files: string[];
  try {
    files = collectFiles(io.cwd, parsed.paths);
  } catch (error) {
    io.stderr(`replayable ids: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.write) {
    const pinned = pinIds(files);
    for (const [file, count] of pinned) io.stdout(`pinned ${count} name${count === 1 ? "" : "s"} in ${relative(io.cwd, file)}\n`);
    if (pinned.size === 0) io.stdout("every durable operation already has a literal name\n");
  }
  const entries = listIds(io.cwd, files);
  if (parsed.check) {
    const manifestFile = path.resolve(io.cwd, parsed.manifest);
    if (!fs.existsSync(manifestFile)) {
      io.stderr(`replayable ids --check: no manifest at ${relative(io.cwd, manifestFile)}; create it with: replayable ids --json > ${parsed.manifest}\n`);
      return 2;
    }
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as IdsEntry[];
    const problems = checkIds(manifest, entries);
    for (const problem of problems) io.stderr(`${problem.message}\n`);
    if (problems.length > 0) {
      io.stderr(`replayable ids --check: ${problems.length} recorded operation${problems.length === 1 ? "" : "s"} would be renamed or dropped\n`);
      return 1;
    }
    io.stdout(`replayable ids --check: all ${manifest.length} recorded operations keep their IDs\n`);
    return 0;
  }
  if (parsed.json) {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  } else if (!parsed.write) {
    for (const entry of entries) {
      io.stdout(`${entry.file}:${entry.line}:${entry.column}\t${entry.handler}\t${entry.type}\t${entry.id}${entry.explicit ? "\t(explicit)" : ""}\n`);
    }
    for (const file of files) {
      for (const diagnostic of planForText(fs.readFileSync(file, "utf8"), file).diagnostics) {
        if (diagnostic.category === "name") io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      }
    }
  }
  return 0;
}
