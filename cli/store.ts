import { existsSync } from "node:fs";
import path from "node:path";
import { connectStore, StoreFileError, type PostgresStore, type SqliteStore } from "../engine/index.js";
import { isPostgresUrl, redactUrl } from "../engine/stores/postgres-store.js";
import { CliError, ExitCode } from "./exit-codes.js";

/** The store every command uses unless --store or REPLAYABLE_STORE says otherwise (relative to the working directory). */
export const DEFAULT_STORE = ".replayable/db.sqlite";

export interface StoreLocation {
  /** The file's absolute path, or a postgres:// URL. */
  readonly absolute: string;
  /** As given (or the default), for messages. */
  readonly shown: string;
  /** Arguments that point a suggested command at this store; empty for the default. */
  readonly args: string;
}

export function storeLocation(cwd: string, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const given = flag ?? (env["REPLAYABLE_STORE"] || undefined);
  if (given !== undefined && isPostgresUrl(given)) {
    // The password stays out of what is printed, suggested commands included ($REPLAYABLE_STORE can carry it).
    return { absolute: given, shown: redactUrl(given), args: flag !== undefined ? ` --store ${quoteArg(redactUrl(flag))}` : "" };
  }
  const shown = given ?? DEFAULT_STORE;
  const absolute = path.resolve(cwd, shown);
  const args = flag !== undefined ? ` --store ${quoteArg(flag)}` : "";
  return { absolute, shown, args };
}

/** A file store exists once created; a PostgreSQL store is taken to exist (connecting tells). */
export function storeExists(location: StoreLocation): boolean {
  return isPostgresUrl(location.absolute) || existsSync(location.absolute);
}

/** Opens (creating when needed) the store: an SQLite file, or a postgres:// URL; an unusable one is exit code 4 with the store's own explanation. */
export async function openStore(location: StoreLocation): Promise<SqliteStore | PostgresStore> {
  try {
    return await connectStore(location.absolute);
  } catch (error) {
    if (error instanceof StoreFileError) throw new CliError(error.message, ExitCode.STORE);
    throw error;
  }
}

/** Quotes a shell argument when it needs it (for commands the CLI suggests). */
export function quoteArg(value: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
