import { spawnSync } from "node:child_process";
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
              (id null: the first argument may or may not be a name, so the operation has no stable ID)
  --write     pin computed IDs into the source as string literals (formatting is kept)
  --check     compare with the manifest (default ${MANIFEST}); fail when an operation recorded
              there would be renamed or dropped; with paths, only the manifest's files under them (and
              files that no longer exist) are checked. Create the manifest with: replayable ids --json > ${MANIFEST}

Without paths it reads the source files git lists (tracked or untracked, not ignored), or outside a
git work tree every source file except in node_modules, dist, build, coverage and dot folders.
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

/** Whether the walk would read this file (a path relative to cwd, "/" separators): a source file outside skipped and dot folders. */
function isSourceFile(relativePath: string): boolean {
  const folders = relativePath.split("/").slice(0, -1);
  return SOURCE_FILE.test(relativePath) && !relativePath.endsWith(".d.ts") && !folders.some((name) => SKIPPED_FOLDERS.has(name) || name.startsWith("."));
}

/**
 * The files git knows under cwd, tracked or untracked but not ignored, so custom build folders
 * named in .gitignore stay out; undefined when git is missing or cwd is not in a work tree.
 */
function gitFiles(cwd: string): string[] | undefined {
  const run = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) return undefined;
  return run.stdout
    .split("\0")
    .filter((file) => file !== "" && isSourceFile(file))
    .map((file) => path.resolve(cwd, file))
    // --cached still lists files deleted from the work tree but not from the index.
    .filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true);
}

/** Source files under the given paths (default: the working directory, as git lists it when it can), sorted. */
export function collectFiles(cwd: string, paths: readonly string[]): string[] {
  const listed = paths.length === 0 ? gitFiles(cwd) : undefined;
  if (listed) return [...new Set(listed)].sort();
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

/** Entries by (file, handler): each deployed function is one handler of one file. */
function groupByHandler(entries: readonly IdsEntry[]): Map<string, IdsEntry[]> {
  const groups = new Map<string, IdsEntry[]>();
  for (const entry of entries) {
    const key = `${entry.file}\u0000${entry.handler}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return groups;
}

function operationKey(entry: IdsEntry): string {
  return `${entry.type}\u0000${entry.id}`;
}

/** How many (type, id) pairs two groups share, duplicates counted. */
function sharedOperations(recorded: readonly IdsEntry[], current: readonly IdsEntry[]): number {
  const left = current.map(operationKey);
  return recorded.filter((entry) => {
    const index = left.indexOf(operationKey(entry));
    if (index >= 0) left.splice(index, 1);
    return index >= 0;
  }).length;
}

/**
 * The current group each manifest group is compared with. IDs do not contain the file, so a
 * group whose file is gone, or whose file no longer has that handler (it moved out and the file
 * re-exports it or holds other code), follows the move: to the group with the same handler, in a
 * file the manifest does not know, that shares the most operations with it (each taken once).
 */
function matchGroups(recorded: Map<string, IdsEntry[]>, current: Map<string, IdsEntry[]>, currentFiles: ReadonlySet<string>): Map<string, IdsEntry[]> {
  const matched = new Map<string, IdsEntry[]>();
  const recordedFiles = new Set([...recorded.values()].map((group) => group[0]!.file));
  const moves: { recordedKey: string; currentKey: string; shared: number }[] = [];
  for (const [recordedKey, group] of recorded) {
    const { file, handler } = group[0]!;
    const stayed = current.get(recordedKey);
    if (stayed) {
      matched.set(recordedKey, stayed);
      continue;
    }
    for (const [currentKey, candidate] of current) {
      if (candidate[0]!.handler === handler && !recordedFiles.has(candidate[0]!.file)) {
        moves.push({ recordedKey, currentKey, shared: sharedOperations(group, candidate) });
      }
    }
  }
  const taken = new Set<string>();
  for (const move of moves.sort((a, b) => b.shared - a.shared)) {
    if (matched.has(move.recordedKey) || taken.has(move.currentKey)) continue;
    matched.set(move.recordedKey, current.get(move.currentKey)!);
    taken.add(move.currentKey);
  }
  // A file that was read but no longer has the handler, nor a new file that does: its operations were dropped.
  for (const [recordedKey, group] of recorded) {
    if (!matched.has(recordedKey) && currentFiles.has(group[0]!.file)) matched.set(recordedKey, []);
  }
  return matched;
}

function problem(recorded: IdsEntry, reason: string): CheckProblem {
  return {
    recorded,
    message:
      `${recorded.type} "${recorded.id}" of handler ${recorded.handler} (${recorded.file}:${recorded.line} in the manifest) is no longer in the code${reason} ` +
      `Executions in flight that recorded it cannot replay past it: keep its name (pin names with \`replayable ids --write\`) or deploy the change as a new version, then update the manifest.`,
  };
}

/** The operations of one recorded group that its current group lacks; duplicates are counted. */
function compareGroup(recorded: readonly IdsEntry[], current: readonly IdsEntry[]): CheckProblem[] {
  const remaining = new Map<string, number>();
  for (const entry of current) remaining.set(operationKey(entry), (remaining.get(operationKey(entry)) ?? 0) + 1);
  const newIds = new Set(current.map((entry) => entry.id));
  for (const entry of recorded) newIds.delete(entry.id);
  const problems: CheckProblem[] = [];
  for (const entry of recorded) {
    const count = remaining.get(operationKey(entry)) ?? 0;
    if (count > 0) {
      remaining.set(operationKey(entry), count - 1);
      continue;
    }
    const candidates = current.filter((candidate) => newIds.has(candidate.id) && candidate.type === entry.type);
    const hint = candidates.length > 0 ? `. It looks renamed to ${candidates.map((candidate) => `"${candidate.id}" (${candidate.file}:${candidate.line})`).join(" or ")}.` : ". It was dropped.";
    problems.push(problem(entry, hint));
  }
  return problems;
}

/**
 * Operations recorded in the manifest that the current code no longer has: in-flight
 * executions that recorded them would stop at a name they cannot find on replay.
 * `currentFiles` are the files read for `current` (relative, like `IdsEntry.file`).
 */
export function checkIds(manifest: readonly IdsEntry[], current: readonly IdsEntry[], currentFiles: readonly string[]): CheckProblem[] {
  const recorded = groupByHandler(manifest);
  const matched = matchGroups(recorded, groupByHandler(current), new Set(currentFiles));
  return [...recorded].flatMap(([key, group]) => {
    const currentGroup = matched.get(key);
    if (currentGroup) return compareGroup(group, currentGroup);
    const { file, handler } = group[0]!;
    return group.map((entry) => problem(entry, `: ${file} is gone (if it moved, keep exporting the handler as ${handler} from the new file so the check follows it).`));
  });
}

const MANIFEST_FIELDS = { file: "string", handler: "string", type: "string", line: "number" } as const;

/** The manifest's entries, or what is wrong with its text. */
function parseManifest(text: string): IdsEntry[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${(error as Error).message.replace(/\s+/g, " ")})`;
  }
  if (!Array.isArray(value)) return "it is not a JSON array";
  for (const [index, entry] of value.entries()) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return `entry ${index + 1} is not an object`;
    for (const [field, type] of Object.entries(MANIFEST_FIELDS)) {
      if (typeof (entry as Record<string, unknown>)[field] !== type) return `entry ${index + 1} has no ${type} "${field}"`;
    }
    const id = (entry as Record<string, unknown>)["id"];
    if (typeof id !== "string" && id !== null) return `entry ${index + 1} has no string (or null) "id"`;
  }
  return value as IdsEntry[];
}

/**
 * Whether `ids --check` over `paths` checks a manifest entry: its file lies under one of them, or
 * exists nowhere (it may have moved under them). Existing files outside the paths were not read,
 * so their entries would all look gone.
 */
function inCheckedPaths(cwd: string, paths: readonly string[], file: string): boolean {
  if (paths.length === 0) return true;
  const absolute = path.resolve(cwd, file);
  if (!fs.existsSync(absolute)) return true;
  return paths.some((target) => {
    const inside = path.relative(path.resolve(cwd, target), absolute);
    return inside === "" || (!inside.startsWith("..") && !path.isAbsolute(inside));
  });
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
    const manifestStat = fs.statSync(manifestFile, { throwIfNoEntry: false });
    if (!manifestStat) {
      io.stderr(`replayable ids --check: no manifest at ${relative(io.cwd, manifestFile)}; create it with: replayable ids --json > ${parsed.manifest}\n`);
      return 2;
    }
    if (manifestStat.isDirectory()) {
      io.stderr(
        `replayable ids --check: ${relative(io.cwd, manifestFile) || "."} is a directory, not a manifest; pass the manifest file with --manifest, ` +
          `or create one with: replayable ids --json > ${path.posix.join(parsed.manifest.split(path.sep).join("/"), MANIFEST)}\n`,
      );
      return 2;
    }
    const manifest = parseManifest(fs.readFileSync(manifestFile, "utf8"));
    if (typeof manifest === "string") {
      io.stderr(
        `replayable ids --check: ${relative(io.cwd, manifestFile)} is not a manifest of replayable ids: ${manifest}; ` +
          `regenerate it from the deployed code with: replayable ids --json > ${parsed.manifest}\n`,
      );
      return 2;
    }
    const checked = manifest.filter((entry) => inCheckedPaths(io.cwd, parsed.paths, entry.file));
    const problems = checkIds(checked, entries, files.map((file) => relative(io.cwd, file)));
    for (const problem of problems) io.stderr(`${problem.message}\n`);
    if (problems.length > 0) {
      io.stderr(`replayable ids --check: ${problems.length} recorded operation${problems.length === 1 ? "" : "s"} would be renamed or dropped\n`);
      return 1;
    }
    if (parsed.paths.length === 0) {
      io.stdout(`replayable ids --check: all ${manifest.length} recorded operations keep their IDs\n`);
      return 0;
    }
    // Name the paths and what was left out, so a check narrower than the manifest is visible.
    const under = parsed.paths.join(", ");
    const kept = checked.length === 1 ? `the 1 recorded operation under ${under} keeps its ID` : `all ${checked.length} recorded operations under ${under} keep their IDs`;
    const skipped = manifest.length - checked.length;
    io.stdout(`replayable ids --check: ${kept}${skipped > 0 ? ` (${skipped} outside them not checked)` : ""}\n`);
    return 0;
  }
  if (parsed.json) {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  } else if (!parsed.write) {
    for (const entry of entries) {
      io.stdout(`${entry.file}:${entry.line}:${entry.column}\t${entry.handler}\t${entry.type}\t${entry.id ?? "(no stable ID)"}${entry.explicit ? "\t(explicit)" : ""}\n`);
    }
    for (const file of files) {
      for (const diagnostic of planForText(fs.readFileSync(file, "utf8"), file).diagnostics) {
        if (diagnostic.category === "name") io.stderr(`${formatDiagnostic(diagnostic)}\n`);
      }
    }
  }
  return 0;
}
