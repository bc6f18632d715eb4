import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { SqliteStore } from "../../engine/index.js";

// The console learns that another process changed the store from SqliteStore.dataVersion():
// it moves when another connection commits, and only then.

const dir = mkdtempSync(join(tmpdir(), "replayable-data-version-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("moves when another connection commits to the file, not on reads", async () => {
  const path = join(dir, "db.sqlite");
  const writer = SqliteStore.open(path);
  const reader = SqliteStore.open(path);
  try {
    const before = reader.dataVersion();
    await reader.listExecutions();
    expect(reader.dataVersion()).toBe(before);
    await writer.createExecution({ executionId: "e-1", functionName: "f", input: "{}", createdAt: 1 });
    const after = reader.dataVersion();
    expect(after).not.toBe(before);
    await writer.getExecution("e-1");
    expect(reader.dataVersion()).toBe(after);
  } finally {
    await writer.close();
    await reader.close();
  }
});
