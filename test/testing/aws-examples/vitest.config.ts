// Runs AWS's example jest tests (../shared/real-world/aws-examples, read in place, never
// copied or edited) under vitest. AWS_EXAMPLES_TARGET picks what their imports mean:
// "official" keeps @aws/durable-execution-sdk-js(-testing) (the installed 2.4.0 / 1.1.4),
// "replayable" maps them to replayable's runtime and testing sources. Used by
// aws-examples.test.ts, which runs this config in a child vitest process.
import path from "node:path";
import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vitest/config";
import { examplesRoot, projectRoot } from "./examples-root.js";

const target = process.env.AWS_EXAMPLES_TARGET ?? "replayable";
if (target !== "official" && target !== "replayable") throw new Error(`AWS_EXAMPLES_TARGET must be "official" or "replayable", not "${target}"`);

const replayableModules: Record<string, string> = {
  "@aws/durable-execution-sdk-js": path.join(projectRoot, "runtime/index.ts"),
  "@aws/durable-execution-sdk-js-testing": path.join(projectRoot, "testing/index.ts"),
};

/**
 * The examples folder has no node_modules: bare imports from it resolve from this project's
 * (where the SDKs, @aws-sdk/client-lambda and the Powertools logger are dev dependencies).
 */
function resolveFromProject(): Plugin {
  return {
    name: "aws-examples-resolve",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!importer?.startsWith(examplesRoot) || source.startsWith(".") || source.startsWith("/") || source.startsWith("node:")) return null;
      if (target === "replayable" && replayableModules[source]) return replayableModules[source];
      return this.resolve(source, path.join(projectRoot, "package.json"), { skipSelf: true });
    },
  };
}

/**
 * The examples' tsconfig extends one of their monorepo's that is not here, and Vite's own
 * TypeScript transform fails on it; esbuild strips their types with no tsconfig instead.
 */
function stripTypes(): Plugin {
  return {
    name: "aws-examples-strip-types",
    enforce: "pre",
    async transform(code, id) {
      if (!id.startsWith(examplesRoot) || !id.endsWith(".ts")) return null;
      const out = await transform(code, { loader: "ts", format: "esm", target: "es2022", sourcemap: true, sourcefile: id, tsconfigRaw: {} });
      return { code: out.code, map: out.map };
    },
  };
}

/** jest.mock(...) calls are hoisted above the imports, as jest does; vitest hoists vi.mock. */
function hoistJestMock(): Plugin {
  return {
    name: "aws-examples-jest-mock",
    enforce: "pre",
    transform(code, id) {
      if (!id.startsWith(examplesRoot) || !code.includes("jest.mock(")) return null;
      return { code: code.replaceAll("jest.mock(", "vi.mock("), map: null };
    },
  };
}

export default defineConfig({
  root: examplesRoot,
  plugins: [resolveFromProject(), hoistJestMock(), stripTypes()],
  oxc: { exclude: [/real-world\/aws-examples/] },
  server: { fs: { allow: [examplesRoot, projectRoot] } },
  test: {
    include: ["src/examples/**/*.test.ts"],
    globals: true,
    setupFiles: [path.join(projectRoot, "test/testing/aws-examples/jest-shim.ts")],
    // jest's default; the examples set their own where they need less.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most of the time goes to real sleeps (steps that wait 10 s of real time), not the CPU.
    maxWorkers: 4,
    // The examples' modules (and the SDK's global test environment) stay per file, as in jest.
    isolate: true,
  },
});
