/**
 * CI trusts `npm test`'s exit code. The embedded PostgreSQL server the suites share installs an
 * exit hook that ended vitest's process with code 0 after a failed run (found when a failing
 * test left `npm test` green); the server now runs in a child process. This runs vitest, with
 * the project's own config and global setup, on one failing test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "replayable-exit-code-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vitestOn(body: string): { status: number | null; output: string } {
  const name = Math.random().toString(36).slice(2);
  const file = join(dir, `case-${name}.check.ts`);
  writeFileSync(file, `import { expect, it } from "vitest";\nit("case", () => { ${body} });\n`);
  // The project's config with only this file; it imports nothing itself (vitest/config does not resolve from a temporary folder).
  const config = join(dir, `vitest-${name}.config.ts`);
  writeFileSync(
    config,
    `import base from ${JSON.stringify(join(repo, "vitest.config.ts"))};
export default { ...base, test: { ...base.test, include: [${JSON.stringify(file)}], globalSetup: [${JSON.stringify(join(repo, "test/engine/stores/pg-server.ts"))}] } };
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["REPLAYABLE_TEST_PG"]; // the throwaway server, as on a fresh machine
  const run = spawnSync(process.execPath, [join(repo, "node_modules/vitest/vitest.mjs"), "run", "--config", config, "--root", repo, "--dir", dir], { cwd: repo, encoding: "utf8", timeout: 120_000, env });
  return { status: run.status, output: run.stdout + run.stderr };
}

it("a failing test makes vitest exit 1, with the PostgreSQL global setup started as in npm test", () => {
  const failing = vitestOn("expect(1).toBe(2);");
  expect(failing.output).toMatch(/Tests +1 failed/); // it ran the test: not a config or start-up error
  expect(failing.status, failing.output).toBe(1);
}, 180_000);
