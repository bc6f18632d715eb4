import { existsSync } from "node:fs";
import path from "node:path";
import { parseCommand } from "../args.js";
import { ExitCode, notFound, usageError } from "../exit-codes.js";
import { writeLines, type Io } from "../io.js";
import { SqliteStore } from "../../engine/index.js";
import { openStore, storeExists, storeLocation } from "../store.js";

export const BACKUP_USAGE = `Usage: replayable backup <file> [--store <path>]

Writes a consistent copy of the store to <file> (a new file) with SQLite's backup API,
while workers may be running: everything committed is in it, including what is still in
the store's write-ahead log. Copying db.sqlite alone is not a backup: recent checkpoints live
in db.sqlite-wal until SQLite moves them. The copy is a store: --store <file> opens it.

  --store <path>  the store (default .replayable/db.sqlite, or $REPLAYABLE_STORE)

Exit codes: 0 written, 2 bad arguments or <file> exists, 3 no store, 4 store unusable.
`;

export async function backupCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(args, { store: { type: "string" } }, BACKUP_USAGE, { min: 1, max: 1, what: "the file to write: replayable backup <file>" });
  const destination = path.resolve(io.cwd, positionals[0]!);
  if (existsSync(destination)) throw usageError(`${positionals[0]} exists; the backup goes to a new file, so nothing is overwritten. Give another path, or move that file away.`);
  const location = storeLocation(io.cwd, values.store, io.env);
  if (!storeExists(location)) throw notFound(`Nothing to back up: there is no store at ${location.shown}.`);
  const store = await openStore(location);
  try {
    if (!(store instanceof SqliteStore)) throw usageError(`backup copies an SQLite store; ${location.shown} is a PostgreSQL database: back it up with pg_dump (the store is its schema, "replayable" unless the URL's ?schema= names another).`);
    await store.backup(destination);
    writeLines(io.stdout, [`backed up ${location.shown} to ${positionals[0]} (${(await store.listExecutions()).length} executions)`]);
    return ExitCode.OK;
  } finally {
    await store.close();
  }
}
