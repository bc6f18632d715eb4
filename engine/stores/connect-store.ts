import { SqliteStore } from "../sqlite-store.js";
import { isPostgresUrl, PostgresStore } from "./postgres-store.js";

/** Opens the store a location names: a postgres:// URL (PostgresStore), else an SQLite file path. */
export async function connectStore(location: string): Promise<SqliteStore | PostgresStore> {
  return isPostgresUrl(location) ? PostgresStore.connect(location) : SqliteStore.open(location);
}
