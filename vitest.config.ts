import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Suites that build a program or a bundle in beforeAll need more than the 10 s default
    // when the machine is busy.
    hookTimeout: 120_000,
    // Vitest's default on a 2-core machine is one worker; most of the slow suites here wait
    // on child processes, real timers and fsync rather than the CPU, so two run side by side.
    maxWorkers: 2,
    // The PostgreSQL server the PostgresStore tests use (REPLAYABLE_TEST_PG, or a throwaway one).
    globalSetup: ["test/engine/stores/pg-server.ts"],
  },
});
