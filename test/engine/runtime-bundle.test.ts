import { build } from "esbuild";
import { expect, it } from "vitest";

// A Lambda bundle of a handler that imports `replayable` must carry the runtime only: no
// engine, no SQLite driver, no test runner. The one way out of runtime/ is the dynamic
// import of @aws-sdk/client-lambda, which only a durable invocation on Lambda evaluates.
it("bundles the runtime entry without the engine, better-sqlite3 or anything outside runtime/ but the lazy Lambda client", async () => {
  const result = await build({
    stdin: { contents: 'export { withDurableExecution } from "./runtime/index.ts";', resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.entries(result.metafile.inputs).filter(([input]) => input !== "<stdin>");
  expect(inputs.filter(([input]) => input.startsWith("runtime/")).length).toBeGreaterThan(10);
  expect(inputs.filter(([input]) => !input.startsWith("runtime/") && !input.startsWith("node_modules/"))).toEqual([]);
  const exits = inputs.flatMap(([input, { imports }]) =>
    input.startsWith("runtime/") ? imports.filter((i) => i.path.startsWith("node_modules/")).map((i) => [input, i.kind, i.path]) : [],
  );
  expect(exits).toEqual([["runtime/lambda/lambda-client.ts", "dynamic-import", "node_modules/@aws-sdk/client-lambda/dist-cjs/index.js"]]);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/better-sqlite3|engine\//);
});
