/**
 * `replayable ids --check` as a deploy gate over several Lambda files, its manifest errors, and
 * which files `replayable ids` reads when given no paths. Runs the command in-process on real
 * temporary folders.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIdsCommand, type IdsEntry } from "../../transformer/ids-command.js";
import { writeFiles } from "./package-fixture.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function tempFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replayable-ids-check-"));
  folders.push(dir);
  writeFiles(dir, files);
  return dir;
}

function ids(dir: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = runIdsCommand(args, { cwd: dir, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

/** Runs `ids --check` and expects it to fail on exactly one recorded operation, with this message. */
function checkFailsOnOne(dir: string, message: string) {
  const run = ids(dir, "--check");
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).toContain("1 recorded operation would be renamed or dropped");
  return run;
}

/** A Lambda file exporting `handler`, one step per variable name: `const <name> = await ctx.step(...)` on lines 4, 5, ... */
function lambda(...variables: string[]): string {
  return [
    'import { withDurableExecution } from "@aws/durable-execution-sdk-js";',
    "",
    "export const handler = withDurableExecution(async (event: unknown, ctx) => {",
    ...variables.map((name) => `  const ${name} = await ctx.step(async () => 1);`),
    `  return [${variables.join(", ")}];`,
    "});",
    "",
  ].join("\n");
}

function writeManifest(dir: string): void {
  const run = ids(dir, "--json");
  expect(run.code).toBe(0);
  fs.writeFileSync(path.join(dir, "replayable.ids.json"), run.stdout);
}

const TRAILER = "Executions in flight that recorded it cannot replay past it";

describe("replayable ids --check matches each file's handler on its own", () => {
  it("names the renamed operation of each file when two files export the same handler key", () => {
    const dir = tempFolder({ "a.ts": lambda("total"), "b.ts": lambda("other") });
    writeManifest(dir);
    // Both files' IDs start with handler/, so b.ts's new "total" must not hide a.ts's rename.
    writeFiles(dir, { "a.ts": lambda("sum"), "b.ts": lambda("total") });
    const run = ids(dir, "--check");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('step "handler/total" of handler handler (a.ts:4 in the manifest) is no longer in the code. It looks renamed to "handler/sum" (a.ts:4).');
    expect(run.stderr).toContain('step "handler/other" of handler handler (b.ts:4 in the manifest) is no longer in the code. It looks renamed to "handler/total" (b.ts:4).');
    expect(run.stderr).toContain("replayable ids --check: 2 recorded operations would be renamed or dropped");
  });

  it("reports a deleted file's operations as dropped, even when another file has the same IDs", () => {
    const dir = tempFolder({ "a.ts": lambda("total"), "b.ts": lambda("total", "other") });
    writeManifest(dir);
    fs.rmSync(path.join(dir, "a.ts"));
    const run = checkFailsOnOne(dir, 'step "handler/total" of handler handler (a.ts:4 in the manifest) is no longer in the code: a.ts is gone');
    expect(run.stderr).not.toContain("b.ts");
  });

  it("follows moved or renamed files to the new file with the same handler that shares the most IDs", () => {
    const dir = tempFolder({ "a.ts": lambda("total", "tax"), "b.ts": lambda("other", "tax") });
    writeManifest(dir);
    fs.rmSync(path.join(dir, "a.ts"));
    fs.rmSync(path.join(dir, "b.ts"));
    // b.ts moved to src/first.ts, which sorts first; a.ts moved to src/second.ts.
    writeFiles(dir, { "src/first.ts": lambda("other", "tax"), "src/second.ts": lambda("total", "tax") });
    expect(ids(dir, "--check")).toMatchObject({ code: 0, stderr: "" });

    // A rename inside a moved file is named with the candidate from its new file only.
    writeFiles(dir, { "src/second.ts": lambda("sum", "tax") });
    checkFailsOnOne(dir, 'step "handler/total" of handler handler (a.ts:4 in the manifest) is no longer in the code. It looks renamed to "handler/sum" (src/second.ts:4).');
  });

  it("counts duplicate IDs per file: a duplicate dropped in one file is not made up by another", () => {
    const charge = (count: number) =>
      [
        'import { withDurableExecution } from "@aws/durable-execution-sdk-js";',
        "export const handler = withDurableExecution(async (event: unknown, ctx) => {",
        ...Array.from({ length: count }, () => '  await ctx.step("charge", async () => 1);'),
        "});",
      ].join("\n");
    const dir = tempFolder({ "a.ts": charge(2), "b.ts": charge(1) });
    writeManifest(dir);
    writeFiles(dir, { "a.ts": charge(1), "b.ts": charge(2) });
    const run = checkFailsOnOne(dir, 'step "charge" of handler handler (a.ts:4 in the manifest) is no longer in the code. It was dropped.');
    expect(run.stderr).toContain(TRAILER);
  });
});

describe("replayable ids --check over explicit paths", () => {
  it("checks only the manifest's files under the paths and says how many operations it checked", () => {
    const dir = tempFolder({ "src/a/order.ts": lambda("total", "tax"), "src/b/refund.ts": lambda("amount") });
    writeManifest(dir);
    // src/b/refund.ts still exists; it is outside the paths, not gone.
    const run = ids(dir, "src/a", "--check");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe("replayable ids --check: all 2 recorded operations under src/a keep their IDs (1 outside them not checked)\n");
    expect(ids(dir, "src/b", "--check").stdout).toBe(
      "replayable ids --check: the 1 recorded operation under src/b keeps its ID (2 outside them not checked)\n",
    );
    // Without paths the wording is unchanged.
    expect(ids(dir, "--check").stdout).toBe("replayable ids --check: all 3 recorded operations keep their IDs\n");
  });

  it("still reports renames under the paths, and files that no longer exist anywhere as gone", () => {
    const dir = tempFolder({ "src/a/order.ts": lambda("total"), "src/b/refund.ts": lambda("amount"), "old/legacy.ts": lambda("fee") });
    writeManifest(dir);
    writeFiles(dir, { "src/a/order.ts": lambda("sum") });
    fs.rmSync(path.join(dir, "old"), { recursive: true });
    const run = ids(dir, "src/a", "--check");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('step "handler/total" of handler handler (src/a/order.ts:4 in the manifest) is no longer in the code. It looks renamed to "handler/sum" (src/a/order.ts:4).');
    // A deleted file may have moved under the paths, so it is checked, and reported gone when it did not.
    expect(run.stderr).toContain('step "handler/fee" of handler handler (old/legacy.ts:4 in the manifest) is no longer in the code: old/legacy.ts is gone');
    expect(run.stderr).not.toContain("src/b/refund.ts");
    expect(run.stderr).toContain("2 recorded operations would be renamed or dropped");
  });
});

describe("replayable ids --check follows a handler moved out of a file that still exists", () => {
  it("matches the handler in its new file when the old file re-exports it", () => {
    const dir = tempFolder({ "src/order.ts": lambda("total", "tax") });
    writeManifest(dir);
    writeFiles(dir, { "src/order.ts": 'export { handler } from "./handlers/order.js";\n', "src/handlers/order.ts": lambda("total", "tax") });
    expect(ids(dir, "--check")).toMatchObject({ code: 0, stderr: "" });

    // A rename in the new file is named with the candidate from there.
    writeFiles(dir, { "src/handlers/order.ts": lambda("sum", "tax") });
    checkFailsOnOne(dir, 'step "handler/total" of handler handler (src/order.ts:4 in the manifest) is no longer in the code. It looks renamed to "handler/sum" (src/handlers/order.ts:4).');
  });

  it("matches it when the old file now holds other code, and reports drops when no file has the handler", () => {
    const other = lambda("unrelated").replace("export const handler", "export const other");
    const dir = tempFolder({ "a.ts": lambda("total") });
    writeManifest(dir);
    writeFiles(dir, { "a.ts": other, "b.ts": lambda("total") });
    expect(ids(dir, "--check")).toMatchObject({ code: 0, stderr: "" });

    fs.rmSync(path.join(dir, "b.ts"));
    const run = ids(dir, "--check");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('step "handler/total" of handler handler (a.ts:4 in the manifest) is no longer in the code. It was dropped.');
  });
});

describe("replayable ids --check with a manifest it cannot read", () => {
  const fix = "regenerate it from the deployed code with: replayable ids --json > replayable.ids.json";

  it.each([
    ["invalid JSON", '[{"file": "a.ts",', "is not valid JSON"],
    ["not an array", '{"file": "a.ts"}', "is not a JSON array"],
    ["an entry without a string id", '[{"file": "a.ts", "handler": "handler", "type": "step", "line": 4}]', 'entry 1 has no string (or null) "id"'],
    ["an entry with a string line", '[{"file": "a.ts", "handler": "handler", "type": "step", "id": "handler/total", "line": "4"}]', 'entry 1 has no number "line"'],
    ["an entry that is not an object", "[null]", "entry 1 is not an object"],
  ])("exits 2 with one line naming the file, the problem and the fix: %s", (_case, manifest, problem) => {
    const dir = tempFolder({ "a.ts": lambda("total"), "replayable.ids.json": manifest });
    const run = ids(dir, "--check");
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^replayable ids --check: replayable\.ids\.json is not a manifest of replayable ids: /);
    expect(run.stderr).toContain(problem);
    expect(run.stderr.trimEnd().endsWith(fix)).toBe(true);
  });

  it("exits 2 naming a --manifest that is a directory and how to create the manifest", () => {
    const dir = tempFolder({ "src/a.ts": lambda("total") });
    const run = ids(dir, "--check", "--manifest", "src");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "replayable ids --check: src is a directory, not a manifest; pass the manifest file with --manifest, or create one with: replayable ids --json > src/replayable.ids.json\n",
    );
  });

  it("names the --manifest file in the fix", () => {
    const dir = tempFolder({ "a.ts": lambda("total"), "deploy/ids.json": "not json" });
    const run = ids(dir, "--check", "--manifest", "deploy/ids.json");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("deploy/ids.json is not a manifest of replayable ids");
    expect(run.stderr).toContain("regenerate it from the deployed code with: replayable ids --json > deploy/ids.json");
  });
});

describe("replayable ids without paths", () => {
  const project = {
    ".gitignore": "out-vite/\n",
    "src/order.ts": lambda("total"),
    // A bundled copy of the handler in a build folder only .gitignore names.
    "out-vite/order.js": lambda("total").replace("event: unknown", "event"),
  };
  const filesOf = (run: { stdout: string }) => [...new Set((JSON.parse(run.stdout) as IdsEntry[]).map((entry) => entry.file))];

  it("reads the files git lists in a work tree, so ignored build output stays out", () => {
    const dir = tempFolder(project);
    expect(spawnSync("git", ["init", "-q"], { cwd: dir }).status).toBe(0);
    // Untracked files count as well as tracked ones: a new handler is checked before its commit.
    expect(filesOf(ids(dir, "--json"))).toEqual(["src/order.ts"]);
    // Run from a subfolder, paths stay relative to it.
    expect(filesOf(ids(path.join(dir, "src"), "--json"))).toEqual(["order.ts"]);
    // An explicit path is read even when git ignores it.
    expect(filesOf(ids(dir, "--json", "out-vite"))).toEqual(["out-vite/order.js"]);
  });

  it("walks the folder when it is not a git work tree", () => {
    const dir = tempFolder(project);
    expect(filesOf(ids(dir, "--json"))).toEqual(["out-vite/order.js", "src/order.ts"]);
  });
});
