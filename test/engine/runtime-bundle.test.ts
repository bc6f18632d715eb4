import { build } from "esbuild";
import { expect, it } from "vitest";

// A Lambda bundle of a handler that imports `replayable` must carry the runtime only: no
// engine, no SQLite driver, no test runner.
it("bundles the runtime entry without the engine, better-sqlite3 or anything outside runtime/", async () => {
  const result = await build({
    stdin: { contents: 'export { withDurableExecution } from "./runtime/index.ts";', resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => input !== "<stdin>");
  expect(inputs.length).toBeGreaterThan(10);
  expect(inputs.filter((input) => !input.startsWith("runtime/"))).toEqual([]);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/better-sqlite3|engine\//);
});
