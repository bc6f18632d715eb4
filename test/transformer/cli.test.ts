/**
 * `replayable ids` as a user runs it: the built bin in a temporary project, real files.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdsEntry } from "../../transformer/ids-command.js";
import { goldenCases } from "./golden.js";
import { createProject, writeFiles } from "./package-fixture.js";

const golden = new Map(goldenCases().map((testCase) => [testCase.name, testCase]));
let dir: string;

function replayable(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(dir, "node_modules/replayable/dist/transformer/bin.js"), ...args], { cwd: dir, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  dir = await createProject("cli");
  writeFiles(dir, {
    "src/callbacks.ts": golden.get("callbacks")!.input,
    "src/billing/nested.ts": golden.get("child-contexts-nested")!.input,
    "src/plain.ts": golden.get("no-handler-byte-identical")!.input,
    "node_modules/ignored/index.ts": golden.get("two-handlers")!.input,
  });
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("replayable ids", () => {
  it("--json prints one entry per durable operation call, with the golden IDs", () => {
    const run = replayable("ids", "--json");
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as IdsEntry[];
    const expected = [
      ...(JSON.parse(golden.get("child-contexts-nested")!.ids) as object[]).map((entry) => ({ file: "src/billing/nested.ts", ...entry })),
      ...(JSON.parse(golden.get("callbacks")!.ids) as object[]).map((entry) => ({ file: "src/callbacks.ts", ...entry })),
    ];
    expect(entries).toEqual(expected);
    expect(Object.keys(entries[0]!).sort()).toEqual(["column", "explicit", "file", "handler", "id", "line", "type"]);
  });

  it("lists operations as a table and takes files or folders", () => {
    const run = replayable("ids", "src/callbacks.ts");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("src/callbacks.ts:5:40\tapproval\tcreateCallback\tapproval/decision");
    expect(replayable("ids", "src/billing").stdout).toContain("src/billing/nested.ts:7:11\tbilling\trunInChildContext\trefunds\t(explicit)");
  });

  it("--check passes against its own manifest, then names each renamed or dropped operation", () => {
    fs.writeFileSync(path.join(dir, "replayable.ids.json"), replayable("ids", "--json").stdout);
    expect(replayable("ids", "--check").code).toBe(0);

    const file = path.join(dir, "src/callbacks.ts");
    const original = fs.readFileSync(file, "utf8");
    // Rename the variable of one callback and drop the last waitForCallback.
    fs.writeFileSync(file, original.replace(/\breminder\b/g, "nudge").replace("  await context.waitForCallback(notifyApprover);\n", ""));
    const run = replayable("ids", "--check");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('createCallback "approval/reminder" of handler approval (src/callbacks.ts:7 in the manifest) is no longer in the code. It looks renamed to "approval/nudge" (src/callbacks.ts:7).');
    expect(run.stderr).toContain('waitForCallback "approval/notifyApprover#2" of handler approval (src/callbacks.ts:9 in the manifest) is no longer in the code. It was dropped.');
    expect(run.stderr).toContain("2 recorded operations would be renamed or dropped");
    fs.writeFileSync(file, original);
  });

  it("--write pins the computed names as string literals, keeping formatting, and later renames keep them", () => {
    fs.writeFileSync(path.join(dir, "replayable.ids.json"), replayable("ids", "--json").stdout);
    const run = replayable("ids", "--write", "src");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("pinned 5 names in src/callbacks.ts");
    // callbacks has no rewrite, so pinning its names gives exactly the golden output.
    expect(fs.readFileSync(path.join(dir, "src/callbacks.ts"), "utf8")).toBe(golden.get("callbacks")!.output);
    expect(fs.readFileSync(path.join(dir, "src/plain.ts"), "utf8")).toBe(golden.get("no-handler-byte-identical")!.input);
    const entries = JSON.parse(replayable("ids", "--json").stdout) as IdsEntry[];
    expect(entries.every((entry) => entry.explicit)).toBe(true);
    // A pinned name survives renaming the variable: --check still passes.
    const file = path.join(dir, "src/callbacks.ts");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/(?<!\/)\breminder\b/g, "nudge"));
    expect(fs.readFileSync(file, "utf8")).toContain('const nudge = context.createCallback("approval/reminder");');
    const check = replayable("ids", "--check");
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    expect(replayable("ids", "--write").stdout).toContain("every durable operation already has a literal name");
  });

  it("explains its usage and fails on unknown options or a missing manifest", () => {
    expect(replayable("ids", "--bogus").code).toBe(2);
    expect(replayable("ids", "--check", "--manifest", "missing.json").stderr).toContain("no manifest at missing.json");
    expect(replayable().stderr).toContain("Usage: replayable ids");
  });
});
