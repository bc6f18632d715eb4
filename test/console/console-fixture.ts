import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine, SqliteStore, type Engine } from "../../engine/index.js";
import { withDurableExecution, type DurableContext } from "../../runtime/index.js";
import { startConsoleServer, type ConsoleServer } from "../../server/console-server.js";

// A real store with real executions, and a console server on it: the engine works on one
// connection to the SQLite file (as `replayable run` would in another process), the console
// reads through another.

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** Marks a function with a source position, as the transformer's step IDs do. */
function at<T extends object>(position: string, fn: T): T {
  Object.defineProperty(fn, Symbol.for("replayable.sourcePosition"), { value: position });
  return fn;
}

/** Attempts of the "flaky" step per execution: its first attempt fails, whichever invocation runs it. */
const flakyTries = new Map<string, number>();

const handlers = {
  /** A step, a retried step, a map, a parallel, then a callback; finishes with the callback's answer. */
  approval: withDurableExecution(async (event: { id: string; note: string }, context: DurableContext) => {
    const quote = await context.step("quote", async () => ({ id: event.id, cents: 4200, note: event.note }));
    await context.step(
      "flaky",
      async () => {
        const tries = (flakyTries.get(event.id) ?? 0) + 1;
        flakyTries.set(event.id, tries);
        if (tries < 2) throw new Error("try again");
        return "ok";
      },
      { retryStrategy: (_error, attempt) => (attempt < 3 ? { shouldRetry: true, delay: { seconds: 1 } } : { shouldRetry: false }) },
    );
    await context.map("lines", [1, 2], async (child, n) => child.step("price", async () => n * 10));
    await context.parallel("checks", [async (child) => child.step("fraud", async () => "clean"), async (child) => child.step("stock", async () => "in stock")]);
    const answer = await context.waitForCallback("manager", async () => undefined, { timeout: { minutes: 5 } });
    return { quote, answer: JSON.parse(answer) as unknown };
  }),
  quick: withDurableExecution(async (event: { n: number }, context: DurableContext) => context.step("double", async () => event.n * 2)),
};

/** Version 1 of a handler, then version 2 with a renamed step: replaying v2 over v1's record diverges. */
const divergingV1 = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.step("reserve", at("orders.ts:12", async () => "reserved"));
  await context.wait("cool-off", { seconds: 1 });
  return "done";
});
const divergingV2 = withDurableExecution(async (_event: unknown, context: DurableContext) => {
  await context.step("reserve-v2", at("orders.ts:14", async () => "reserved"));
  await context.wait("cool-off", { seconds: 1 });
  return "done";
});

export interface ConsoleFixture {
  dir: string;
  storePath: string;
  engine: Engine;
  server: ConsoleServer;
  close(): Promise<void>;
}

/** Builds the page from the current sources into a temporary folder. */
function buildAssets(dir: string): string {
  const out = join(dir, "assets");
  execFileSync(process.execPath, [join(REPO, "console/build.mjs"), out], { stdio: "inherit" });
  return out;
}

export async function startFixture(options: { assets?: boolean; key?: { id: string; key: Buffer } } = {}): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), "replayable-console-"));
  const storePath = join(dir, "db.sqlite");
  const engineStore = SqliteStore.open(storePath);
  // Every wake-up replays from the first line, as on Lambda: the timeline shows replayed operations.
  const engine = createEngine({ store: engineStore, functions: handlers, pollMs: 20, resumption: "replay" });
  const consoleStore = SqliteStore.open(storePath);
  const server = await startConsoleServer({
    store: consoleStore,
    changeVersion: () => consoleStore.dataVersion(),
    assetsDir: options.assets ? `${buildAssets(dir)}/` : undefined,
  });
  return {
    dir,
    storePath,
    engine,
    server,
    async close() {
      await server.close();
      await engine.close();
      await engineStore.close();
      await consoleStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `diverging` v1 to its wait, then a second engine with v2 replays it and fails with a divergence. */
export async function recordDivergence(storePath: string, executionId: string): Promise<void> {
  const first = SqliteStore.open(storePath);
  const v1 = createEngine({ store: first, functions: { diverging: divergingV1 }, pollMs: 20 });
  await v1.start("diverging", {}, { executionId });
  for (let i = 0; i < 200 && !(await first.loadOperations(executionId)).some((r) => r.Type === "WAIT"); i++) await new Promise((r) => setTimeout(r, 10));
  await v1.close();
  await first.close();
  const second = SqliteStore.open(storePath);
  const v2 = createEngine({ store: second, functions: { diverging: divergingV2 }, pollMs: 20 });
  try {
    const ended = await v2.waitForExecution(executionId, { timeoutMs: 15_000 });
    if (ended.status !== "FAILED") throw new Error(`expected the replay to diverge; the execution ${ended.status}`);
  } finally {
    await v2.close();
    await second.close();
  }
}
