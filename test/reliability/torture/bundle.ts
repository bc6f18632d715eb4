// Builds the worker into one .mjs file with esbuild, once per run: a worker then starts in
// about a tenth of the time `node --import tsx` takes, which is most of a kill cycle.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const repoRoot = resolve(import.meta.dirname, "../../..");

export interface WorkerBundle {
  path: string;
  dispose(): void;
}

export async function bundleWorker(): Promise<WorkerBundle> {
  const dir = mkdtempSync(join(tmpdir(), "replayable-torture-worker-"));
  const path = join(dir, "worker.mjs");
  await build({
    entryPoints: [join(import.meta.dirname, "worker.ts")],
    outfile: path,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Error names are recorded (ErrorType) and compared with the unbundled reference run.
    keepNames: true,
    // Beside the bundle, for NODE_OPTIONS=--enable-source-maps (inline, its 3 MB were read at every start).
    sourcemap: "linked",
    logLevel: "silent",
    // The Lambda client (1.2 MB of the bundle, parsed at every worker start) is loaded only by a
    // durable invocation on Lambda, never here: left out, its dynamic import stays unresolved.
    external: ["better-sqlite3", "pg", "@aws-sdk/client-lambda"],
    // SqliteStore and PostgresStore load their drivers with createRequire(import.meta.url): resolve it from
    // the repository, not from the bundle's temporary directory.
    define: { "import.meta.url": JSON.stringify(pathToFileURL(join(repoRoot, "engine", "sqlite-store.ts")).href) },
  });
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
