import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { PostgresStore } from "../../../engine/index.js";

// Each PostgresStore a test opens lives in a schema of its own on the test server
// (pg-server.ts); the schemas this file made are dropped when it ends.

const schemas: string[] = [];

export function pgUrl(): string {
  return inject("pgUrl");
}

/** A new schema name, dropped after the file's tests. */
export function newPgSchema(): string {
  const schema = `test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  schemas.push(schema);
  return schema;
}

/** The test server's URL pointing at a new schema (for worker processes). */
export function newPgStoreUrl(): string {
  const url = new URL(pgUrl());
  url.searchParams.set("schema", newPgSchema());
  return url.toString();
}

export function newPgStore(): Promise<PostgresStore> {
  return PostgresStore.connect(pgUrl(), { schema: newPgSchema() });
}

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});
