import type { TestProject } from "vitest/node";
import { startEmbeddedPostgresProcess } from "../../../scripts/embedded-postgres.mjs";

// vitest globalSetup: the PostgreSQL server the PostgresStore tests run on. REPLAYABLE_TEST_PG
// (a postgres:// URL) when set; otherwise a throwaway server from the embedded-postgres
// package, stopped and removed at the end of the run, run in a child process (in vitest's own
// process the package's exit hook would turn a failed run's exit code into 0). Each test gets a
// schema of its own.

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env["REPLAYABLE_TEST_PG"];
  if (given) {
    project.provide("pgUrl", given);
    return async () => undefined;
  }
  const server = await startEmbeddedPostgresProcess();
  project.provide("pgUrl", server.url);
  return server.stop;
}
