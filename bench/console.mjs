// `npm run bench:console`: how long the console's executions list takes to load in a real
// browser (Debian's Chromium) with 100,000 executions in the store, against the same page on a
// store of 50 executions (the baseline, measured in the same run). Also the list API alone:
// the first page, a filtered page, a text search and a page deep into the cursor.
// Target: the list page loads in under 1 s with 100,000 executions.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../dist/engine/index.js";
import { startConsoleServer } from "../dist/server/console-server.js";

const CHROMIUM = "/usr/bin/chromium";
const BIG = Number(process.env.BENCH_EXECUTIONS ?? 100_000);
const SMALL = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FUNCTIONS = ["orders.ts@checkout", "orders.ts@refund", "images.ts@thumbnails", "trips.ts@book", "expenses.ts@approve"];
const STATUSES = ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "RUNNING"];

if (!existsSync(CHROMIUM)) {
  console.error(`bench:console needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  process.exit(2);
}

/** A store with `count` executions, written in one transaction (the engine would take minutes of fsyncs). */
function makeStore(dir, count) {
  const path = join(dir, `store-${count}.sqlite`);
  SqliteStore.open(path).close();
  const Database = createRequire(import.meta.url)("better-sqlite3");
  const db = new Database(path);
  const insert = db.prepare(
    `INSERT INTO executions (id, function_name, status, input, result, created_at, updated_at, ended_at, invocations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = Date.parse("2026-11-01T00:00:00Z");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const status = STATUSES[i % STATUSES.length];
      const created = start + i * 1_000 + (i % 7);
      insert.run(`exec-${String(i).padStart(6, "0")}`, FUNCTIONS[i % FUNCTIONS.length], status, JSON.stringify({ orderId: `o-${i}`, amountCents: 100 + i }), status === "SUCCEEDED" ? JSON.stringify({ ok: true }) : null, created, created + 500, status === "RUNNING" ? null : created + 500, 1 + (i % 3));
    }
  })();
  db.close();
  return path;
}

async function withConsole(path, body) {
  const store = SqliteStore.open(path);
  const server = await startConsoleServer({ store, changeVersion: () => store.dataVersion() });
  try {
    return await body(server);
  } finally {
    await server.close();
    await store.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeApi(server, query) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${server.port}/api/executions?${query}`, { headers: { "x-replayable-token": server.token } });
    const body = await response.json();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(body.error);
  }
  return median(times);
}

const { chromium } = await import("playwright-core");
const dir = mkdtempSync(join(tmpdir(), "replayable-bench-console-"));
const profile = join(dir, "profile");
try {
  let t = performance.now();
  const small = makeStore(dir, SMALL);
  const big = makeStore(dir, BIG);
  console.log(`stores written: ${SMALL} and ${BIG.toLocaleString("en")} executions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
  const page = await context.newPage();
  /** From navigation to the table's rows on screen (a fresh page load, nothing cached: the server sends no-store). */
  const loadList = async (server) => {
    await page.goto("about:blank");
    const started = performance.now();
    await page.goto(server.url);
    await page.waitForSelector("table.executions tbody tr");
    return performance.now() - started;
  };
  const pageTimes = { small: [], big: [] };
  await withConsole(small, async (smallServer) => {
    await withConsole(big, async (bigServer) => {
      await loadList(smallServer); // warm-up: the browser's first start
      await loadList(bigServer);
      // Alternating, so drift of the shared machine falls on both sides.
      for (let i = 0; i < RUNS; i++) {
        pageTimes.small.push(await loadList(smallServer));
        pageTimes.big.push(await loadList(bigServer));
      }
      const rows = await page.locator("table.executions tbody tr").count();
      const firstPage = await timeApi(bigServer, "");
      const baselineApi = await timeApi(smallServer, "");
      const failed = await timeApi(bigServer, "status=FAILED");
      const fn = await timeApi(bigServer, "function=expenses.ts%40approve&status=RUNNING");
      const text = await timeApi(bigServer, "text=exec-0424");
      const rare = await timeApi(bigServer, "text=no-such-execution");
      // A page 1,000 pages deep: the cursor of the row 50,000 rows in.
      const deepCursor = Buffer.from(JSON.stringify([Date.parse("2026-11-01T00:00:00Z") + 49_999 * 1_000 + (49_999 % 7), "exec-049999"])).toString("base64url");
      const deep = await timeApi(bigServer, `after=${deepCursor}`);
      const bigMedian = median(pageTimes.big);
      const smallMedian = median(pageTimes.small);
      console.log(`\nlist page load in Chromium (median of ${RUNS}, alternating; ${rows} rows shown)`);
      console.log(`  ${SMALL} executions (baseline)      ${smallMedian.toFixed(0)} ms   runs ${pageTimes.small.map((x) => x.toFixed(0)).join(", ")}`);
      console.log(`  ${BIG.toLocaleString("en")} executions           ${bigMedian.toFixed(0)} ms   runs ${pageTimes.big.map((x) => x.toFixed(0)).join(", ")}`);
      console.log(`  ratio ${(bigMedian / smallMedian).toFixed(2)}×; target < 1000 ms: ${bigMedian < 1000 ? "met" : "NOT met"}`);
      console.log(`\nlist API with ${BIG.toLocaleString("en")} executions (median of ${RUNS})`);
      console.log(`  first page                    ${firstPage.toFixed(1)} ms (baseline, ${SMALL} executions: ${baselineApi.toFixed(1)} ms; ratio ${(firstPage / baselineApi).toFixed(2)}×)`);
      console.log(`  status=FAILED                 ${failed.toFixed(1)} ms`);
      console.log(`  function + status=RUNNING     ${fn.toFixed(1)} ms`);
      console.log(`  text search, 10 matches       ${text.toFixed(1)} ms`);
      console.log(`  text search, no match (scan)  ${rare.toFixed(1)} ms`);
      console.log(`  page 1,000 via the cursor     ${deep.toFixed(1)} ms`);
      process.exitCode = bigMedian < 1000 ? 0 : 1;
    });
  });
  await context.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
