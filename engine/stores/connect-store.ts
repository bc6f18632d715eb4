import { SqliteStore } from "../sqlite-store.js";
import { isPostgresUrl, PostgresStore } from "./postgres-store.js";

/**
 * Opens the store a location names: a postgres:// URL (PostgresStore), else an SQLite file path
 * (`sqlite` options: SqliteStore.open's).
 */
export async function connectStore(location: string, sqlite: Parameters<typeof SqliteStore.open>[1] = {}): Promise<SqliteStore | PostgresStore> {
  return isPostgresUrl(location) ? PostgresStore.connect(location) : SqliteStore.open(location, sqlite);
}
