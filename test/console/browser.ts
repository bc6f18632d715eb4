import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";

// Debian's Chromium, driven by playwright-core: never a downloaded browser. `.ci/run` installs
// it with apt-get; where it is missing the browser tests say so and are skipped.

/** Debian's package; REPLAYABLE_CHROMIUM points elsewhere (a test of the skip sets a missing path). */
export const CHROMIUM = process.env["REPLAYABLE_CHROMIUM"] ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** A headless Chromium with a fresh profile; close() removes the profile. */
export async function launchChromium(viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "replayable-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
