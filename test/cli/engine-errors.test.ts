import { expect, it } from "vitest";
import { describeSqliteError } from "../../engine/sqlite-store.js";
import { RepeatedLineFilter, workerErrorLine } from "../../cli/engine-errors.js";
import { createStyle } from "../../cli/style.js";

const plain = createStyle(false);
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

it("a busy write lock or a full disk is one line without a stack, and the command goes on (the engine retries)", () => {
  for (const code of ["SQLITE_BUSY", "SQLITE_FULL"]) {
    const error = describeSqliteError("/x/db.sqlite", sqliteError(code, "database is locked"));
    expect(error.transient).toBe(true);
    const reported = workerErrorLine(error, "e-1", plain);
    expect(reported.lasting).toBeUndefined();
    expect(reported.line).toMatch(new RegExp(`^store busy \\(e-1\\): .*\\(${code}\\).* The engine retries\\.$`));
    expect(reported.line).not.toContain("\n");
  }
});

it("a corrupt file stops the command with exit code 4 and its one-line message", () => {
  const error = describeSqliteError("/x/db.sqlite", sqliteError("SQLITE_CORRUPT", "database disk image is malformed"));
  expect(error.transient).toBe(false);
  expect(workerErrorLine(error, undefined, plain)).toMatchObject({ line: expect.stringMatching(/^store error: \/x\/db\.sqlite is corrupt/), lasting: { exitCode: 4 } });
});

it("a transient error that recurs (a disk that stays full) is printed once, then at most once per 30 s with how often it recurred", () => {
  let now = 0;
  const filter = new RepeatedLineFilter(30_000, () => now);
  const printed: string[] = [];
  for (let i = 0; i < 100; i++) {
    now = i * 1_000; // a retry a second for 100 s
    const line = filter.pass("store busy: the disk is full");
    if (line !== undefined) printed.push(line);
  }
  expect(printed).toEqual([
    "store busy: the disk is full",
    "store busy: the disk is full (again; 29 more times since the last report)",
    "store busy: the disk is full (again; 29 more times since the last report)",
    "store busy: the disk is full (again; 29 more times since the last report)",
  ]);
  expect(filter.pass("store busy (e-2): another line")).toBe("store busy (e-2): another line");
});
