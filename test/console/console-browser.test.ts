import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, hasChromium, launchChromium } from "./browser.js";
import { recordDivergence, startFixture, type ConsoleFixture } from "./console-fixture.js";

// The console in a real browser (Debian's Chromium through playwright-core): the list, a
// filter, an execution's timeline, a callback completed from the page and the execution
// finishing live, and the divergence view. Screenshots of each page go to
// $REPLAYABLE_SCREENSHOTS (default: replayable-console-screenshots in the temporary folder, printed).

if (!hasChromium) {
  console.warn(`\n*** console browser tests SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it) ***\n`);
}

/** One folder, overwritten by each run (the README's are in console/screenshots). */
const shots = resolve(process.env["REPLAYABLE_SCREENSHOTS"] ?? join(tmpdir(), "replayable-console-screenshots"));

describe.skipIf(!hasChromium)("console in Chromium", () => {
  let fx: ConsoleFixture;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    console.log(`console screenshots: ${shots}`);
    fx = await startFixture({ assets: true });
    await recordDivergence(fx.storePath, "order-diverged");
    for (let n = 1; n <= 3; n++) await fx.engine.start("quick", { n }, { executionId: `quick-${n}` });
    await fx.engine.start("approval", { id: "a-1", note: "<img src=x onerror=alert(1)><script>alert(2)</script>" }, { executionId: "approval-1" });
    await fx.engine.start("quick", { n: 5, padding: "p".repeat(9_000) }, { executionId: "big-input" });
    await waitFor(async () => (await fx.engine.operations("approval-1")).some((r) => r.Type === "CALLBACK" && r.Status === "STARTED"), "approval-1 to wait for its callback");
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("dialog", (dialog) => (dialogs.push(dialog.message()), void dialog.dismiss()));
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it("lists the executions, filters them, and shows an HTML payload as text", async () => {
    await page.goto(fx.server.url);
    await page.waitForSelector("table.executions tbody tr");
    expect(await page.locator("table.executions tbody tr").count()).toBe(6);
    await page.screenshot({ path: join(shots, "list.png") });
    // A new execution appears without a reload (server-sent events).
    await fx.engine.start("quick", { n: 4 }, { executionId: "quick-4" });
    await poll(() => page.locator("table.executions tbody tr td.id").first().textContent()).toBe("quick-4");
    expect(await page.locator("table.executions tbody tr").count()).toBe(7);

    // Pages over the cursor: Older, then Newer back to the first.
    await page.goto(`${fx.server.url}#/?limit=4`);
    await poll(() => page.locator("table.executions tbody tr").count()).toBe(4);
    const firstPage = await page.locator("table.executions td.id").allTextContents();
    await page.click("nav.pager button >> text=Older");
    await poll(() => page.locator("table.executions td.id").allTextContents()).toEqual((await fx.engine.listExecutions()).slice(4).map((e) => e.executionId));
    expect(await page.locator("nav.pager button >> text=Older").isDisabled()).toBe(true);
    await page.click("nav.pager button >> text=Newer");
    await poll(() => page.locator("table.executions td.id").allTextContents()).toEqual(firstPage);

    await page.fill("#f-text", "approval");
    await page.click("form.filters button[type=submit]");
    await poll(() => page.locator("table.executions tbody tr").count()).toBe(1);
    expect(await page.textContent("table.executions tbody")).toContain("approval-1");
    await page.selectOption("#f-status", "FAILED");
    await page.fill("#f-text", "");
    await page.click("form.filters button[type=submit]");
    await poll(() => page.locator("table.executions tbody tr td.id").allTextContents()).toEqual(["order-diverged"]);
  });

  it("opens an execution: the timeline has every operation, nested, with attempts and payloads", async () => {
    await page.goto(`${fx.server.url}#/`);
    await page.click('a[href="#/executions/approval-1"]');
    await page.waitForSelector(".gantt-rows li");
    const operations = await fx.engine.operations("approval-1");
    const labels = await page.locator(".gantt-rows li button.op-label").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-operation")));
    expect(new Set(labels)).toEqual(new Set(operations.map((r) => r.Id)));
    expect(labels).toHaveLength(operations.length);
    // Children of the map and the parallel are indented under them.
    const depthOf = (name: string) => page.locator(".gantt-rows li button.op-label", { hasText: name }).first().evaluate((b) => parseFloat((b as unknown as { style: { paddingLeft: string } }).style.paddingLeft));
    expect(await depthOf("price")).toBeGreaterThan(await depthOf("lines"));
    // The input's markup is text: no element made from it, no script run.
    await page.click('.gantt-rows button.op-label[data-operation="execution"]');
    await poll(() => page.locator("#operation-detail pre").first().textContent()).toContain("<img src=x onerror=alert(1)>");
    expect(await page.locator("main img").count()).toBe(0);
    // Keyboard: focus the retried step's row and press Enter.
    await page.focus('.gantt-rows button.op-label[data-operation*="flaky"]');
    await page.keyboard.press("Enter");
    await poll(() => page.locator("#operation-detail table.attempts tbody tr").count()).toBe(2);
    expect(await page.textContent("#operation-detail table.attempts")).toContain("failed: try again");
    await page.screenshot({ path: join(shots, "timeline.png"), fullPage: true });
    // A live update redraws the timeline; the keyboard focus stays on the row it was on.
    const quote = '.gantt-rows button.op-label[data-operation="quote#0"]';
    await page.focus(quote);
    await page.evaluate(`document.querySelector('${quote}').dataset.before = "update"`);
    await fx.engine.start("quick", { n: 7 }, { executionId: "quick-7" });
    await poll(() => page.evaluate(`document.querySelector('${quote}').dataset.before ?? "redrawn"`)).toBe("redrawn");
    expect(await page.evaluate("document.activeElement.getAttribute('data-operation')")).toBe("quote#0");
  });

  it("completes the callback from the page; a bad payload gets the CLI's error; the execution finishes live, without a reload", async () => {
    await page.evaluate("window.notReloaded = true");
    const form = page.locator("form.callback").first();
    await form.locator("textarea").fill("{approved: yes}");
    await poll(() => form.locator(".hint").textContent()).toContain("Not JSON yet");
    await form.locator("button[type=submit]").click();
    await poll(() => page.locator("#action-status").textContent()).toContain("must be JSON");
    await form.locator("textarea").fill('{"approved":true,"by":"dana"}');
    await form.locator("button[type=submit]").click();
    await poll(() => page.locator("#action-status").textContent()).toContain("Callback succeeded");
    // The engine (another connection to the file) finishes it; the page hears of it over SSE.
    await poll(() => page.textContent("#execution-status"), 20_000).toBe("SUCCEEDED");
    expect(await page.evaluate("window.notReloaded")).toBe(true);
    expect((await fx.engine.getExecution("approval-1"))?.result).toBe(JSON.stringify({ quote: { id: "a-1", cents: 4200, note: "<img src=x onerror=alert(1)><script>alert(2)</script>" }, answer: { approved: true, by: "dana" } }));
    await poll(() => page.locator("form.callback").count()).toBe(0);
    await page.screenshot({ path: join(shots, "finished.png"), fullPage: true });
  });

  it("stops a running execution from the page; the page shows it STOPPED without a reload", async () => {
    await fx.engine.start("approval", { id: "a-2" }, { executionId: "approval-2" });
    await waitFor(async () => (await fx.engine.operations("approval-2")).some((r) => r.Type === "CALLBACK" && r.Status === "STARTED"), "approval-2 to wait for its callback");
    await page.goto(`${fx.server.url}#/executions/approval-2`);
    await page.evaluate("window.notReloaded = true");
    await page.locator("#stop-reason").fill("customer cancelled");
    await page.locator("form.stop button[type=submit]").click();
    await poll(() => page.locator("#action-status").textContent()).toContain("Execution approval-2 stopped");
    await poll(() => page.textContent("#execution-status"), 20_000).toBe("STOPPED");
    expect(await page.evaluate("window.notReloaded")).toBe(true);
    await poll(() => page.locator("form.stop").count()).toBe(0);
    expect((await fx.engine.getExecution("approval-2"))?.error).toMatchObject({ ErrorType: "ExecutionStopped", ErrorMessage: "customer cancelled" });
  });

  it("filters by status as Lambda names it: STOPPED finds the stopped execution, FAILED no longer does", async () => {
    await page.goto(`${fx.server.url}#/`);
    await page.waitForSelector("table.executions tbody tr");
    expect(await page.locator("#f-status option").evaluateAll((options) => options.map((o) => [o.getAttribute("value"), o.textContent]))).toEqual([
      ["", "any"],
      ["RUNNING", "running"],
      ["SUCCEEDED", "succeeded"],
      ["FAILED", "failed"],
      ["TIMED_OUT", "timed out"],
      ["STOPPED", "stopped"],
    ]);
    const filterBy = async (status: string) => {
      await page.selectOption("#f-status", status);
      await page.click("form.filters button[type=submit]");
      await poll(() => page.evaluate("location.hash")).toBe(`#/?status=${status}`);
    };
    // approval-2 was stopped by the test before: FAILED in the store, STOPPED on the page.
    await filterBy("STOPPED");
    await poll(() => page.locator("table.executions td.id").allTextContents()).toEqual(["approval-2"]);
    expect(await page.textContent("table.executions tbody .badge")).toBe("STOPPED");
    await filterBy("FAILED");
    await poll(() => page.locator("table.executions td.id").allTextContents()).toEqual(["order-diverged"]);
    await filterBy("TIMED_OUT");
    await poll(() => page.textContent("p.status-line")).toBe("No executions match.");
  });

  it("shows a divergence side by side: the recorded operation and the replayed one, with their source positions", async () => {
    await page.goto(`${fx.server.url}#/executions/order-diverged`);
    const view = page.locator("section.divergence");
    await view.waitFor();
    const [recorded, replayed] = await view.locator(".side").allTextContents();
    expect(recorded).toContain('Step "reserve"');
    expect(recorded).toContain("orders.ts:12");
    expect(replayed).toContain('Step "reserve-v2"');
    expect(replayed).toContain("orders.ts:14");
    await page.screenshot({ path: join(shots, "divergence.png"), fullPage: true });
  });

  it("shows the start of a large payload and loads the rest on request", async () => {
    await page.goto(`${fx.server.url}#/executions/big-input`);
    const input = page.locator("section[aria-labelledby=payloads-title] figure.payload").first();
    await poll(() => input.locator("figcaption").textContent()).toContain("first 4,000 of 9,020 characters");
    expect((await input.locator("pre").textContent())!.length).toBe(4_000);
    await input.locator("button", { hasText: "Load all 9,020 characters" }).click();
    await poll(async () => JSON.parse((await input.locator("pre").textContent())!)).toEqual({ n: 5, padding: "p".repeat(9_000) });
  });

  it("exports the history as JSON in AWS's event vocabulary", async () => {
    await page.goto(`${fx.server.url}#/executions/approval-1`);
    await page.click("details.history summary");
    const link = page.locator("details.history a", { hasText: "Export as JSON" });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const { readFile } = await import("node:fs/promises");
    const exported = JSON.parse(await readFile((await download.path())!, "utf8")) as { events: Array<{ EventType: string }> };
    expect(exported.events[0]!.EventType).toBe("ExecutionStarted");
    expect(exported.events.map((e) => e.EventType)).toContain("CallbackSucceeded");
    expect(exported.events.at(-1)!.EventType).toBe("ExecutionSucceeded");
    expect(await page.locator("details.history tbody tr").count()).toBe(exported.events.length);
  });

  it("labels every control and keeps text contrast at WCAG AA (4.5:1) on the list and the execution page", async () => {
    for (const hash of ["#/", "#/executions/approval-1", "#/executions/order-diverged"]) {
      await page.goto(`${fx.server.url}${hash}`);
      await page.waitForSelector(hash === "#/" ? "table.executions tbody tr" : ".gantt-rows li");
      const problems = (await page.evaluate(AUDIT)) as string[];
      expect(problems, hash).toEqual([]);
    }
  });

  it("works in a narrow window", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${fx.server.url}#/executions/approval-1`);
    await page.waitForSelector(".gantt-rows li");
    await page.screenshot({ path: join(shots, "narrow.png"), fullPage: true });
    // Nothing wider than the window (tables scroll in their own box).
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * Runs in the page: controls without a label or name, and text whose contrast with the
 * background behind it is under 4.5:1 (WCAG AA), computed from the styles as rendered.
 */
const AUDIT = `(() => {
  const problems = [];
  for (const control of document.querySelectorAll("input, select, textarea, button")) {
    const named = control.labels?.length || control.getAttribute("aria-label") || (control.tagName === "BUTTON" && control.textContent.trim());
    if (!named) problems.push("no label: " + control.outerHTML.slice(0, 80));
  }
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length === 4 ? c[3] > 0.5 : c.length === 3) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  for (const element of document.querySelectorAll("main *, header *")) {
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || element.closest("[aria-hidden=true]")) continue;
    const fg = rgba(getComputedStyle(element).color).slice(0, 3);
    const [a, b] = [luminance(fg), luminance(background(element))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) problems.push("contrast " + ratio.toFixed(2) + ": " + element.tagName + "." + element.className + " " + element.textContent.trim().slice(0, 30));
  }
  return problems;
})()`;

/** Retries an assertion on the page; the machine may be busy, so longer than vitest's 1 s default. */
const poll = <T>(read: () => Promise<T> | T, timeout = 10_000) => expect.poll(read, { timeout });

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

