import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStore, SqliteStore, type EngineStore, type ExecutionFilter } from "../../engine/index.js";

// The console's list asks the store for one page at a time: filters by time range and text,
// and a keyset cursor (after: the last row of the previous page). Both stores must answer the
// same, so the same filters are run on each and on a plain array sort.

const dir = mkdtempSync(join(tmpdir(), "replayable-filter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = Array.from({ length: 40 }, (_, i) => ({
  executionId: `${i % 2 ? "Order" : "refund"}-${String(i).padStart(2, "0")}`,
  functionName: i % 3 ? "orders.ts@checkout" : "refunds.ts@refund",
  input: "{}",
  // Ties on purpose: four executions share each millisecond.
  createdAt: 1_000 + Math.floor(i / 4),
}));

async function filled(store: EngineStore): Promise<EngineStore> {
  for (const row of rows) await store.createExecution(row);
  return store;
}

const stores: Array<[string, () => Promise<EngineStore>]> = [
  ["MemoryStore", () => filled(new MemoryStore())],
  ["SqliteStore", () => filled(SqliteStore.open(join(dir, "filter.sqlite")))],
];

/** The expected answer, from the rows themselves: newest first, ties by id. */
function expected(filter: ExecutionFilter): string[] {
  const text = filter.text?.toLowerCase();
  return rows
    .filter((r) => (filter.createdFrom === undefined || r.createdAt >= filter.createdFrom) && (filter.createdBefore === undefined || r.createdAt < filter.createdBefore))
    .filter((r) => text === undefined || r.executionId.toLowerCase().includes(text) || r.functionName.toLowerCase().includes(text))
    .sort((a, b) => b.createdAt - a.createdAt || (a.executionId < b.executionId ? -1 : 1))
    .map((r) => r.executionId);
}

describe.each(stores)("ExecutionFilter on %s", (_name, open) => {
  it("filters by time range and by text in the id or function, case-insensitively", async () => {
    const store = await open();
    try {
      for (const filter of [{ createdFrom: 1_003, createdBefore: 1_007 }, { text: "ORDER" }, { text: "refunds.ts" }, { text: "order-1", createdFrom: 1_004 }, { text: "nothing" }]) {
        const got = (await store.listExecutions(filter)).map((e) => e.executionId);
        expect(got, JSON.stringify(filter)).toEqual(expected(filter));
      }
    } finally {
      await store.close();
    }
  });

  it("pages over a cursor: the pages, joined, are the whole list once, ties included", async () => {
    const store = await open();
    try {
      const seen: string[] = [];
      let after: ExecutionFilter["after"];
      for (let page = 0; page < 20; page++) {
        const rowsOfPage = await store.listExecutions({ text: "-", limit: 7, after });
        seen.push(...rowsOfPage.map((e) => e.executionId));
        const last = rowsOfPage.at(-1);
        if (rowsOfPage.length < 7 || !last) break;
        after = { createdAt: last.createdAt, executionId: last.executionId };
      }
      expect(seen).toEqual(expected({}));
    } finally {
      await store.close();
    }
  });
});
