import { createUnplugin, type UnpluginFactory } from "unplugin";
import { formatDiagnostic } from "./plan.js";
import type { TransformOptions } from "./options.js";
import { transform } from "./transform.js";

export interface UnpluginOptions extends TransformOptions {
  /** Files to transform; default: .ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx outside node_modules. */
  readonly include?: RegExp;
  /** Fail the build on diagnostics of severity "error" (default true); warnings are always printed. */
  readonly failOnError?: boolean;
}

const DEFAULT_INCLUDE = /\.[cm]?[jt]sx?$/;

export const unpluginFactory: UnpluginFactory<UnpluginOptions | undefined> = (options = {}) => {
  const { include = DEFAULT_INCLUDE, failOnError = true, ...transformOptions } = options;
  return {
    name: "replayable",
    enforce: "pre",
    transformInclude(id) {
      const file = id.split("?")[0]!;
      return include.test(file) && !file.includes("/node_modules/") && !file.startsWith("\0");
    },
    transform(code, id) {
      const file = id.split("?")[0]!;
      const result = transform(code, file, transformOptions);
      const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
      for (const diagnostic of result.diagnostics) {
        if (diagnostic.severity === "warning" || !failOnError) this.warn(formatDiagnostic(diagnostic));
      }
      if (failOnError && errors.length > 0) this.error(errors.map(formatDiagnostic).join("\n"));
      if (result.code === code) return null;
      return { code: result.code, map: result.map as never };
    },
  };
};

/** `replayable/unplugin`: the transformer for vite, rollup, esbuild, webpack and rspack. */
export const replayable = /* #__PURE__ */ createUnplugin(unpluginFactory);
export const vitePlugin = replayable.vite;
export const rollupPlugin = replayable.rollup;
export const esbuildPlugin = replayable.esbuild;
export const webpackPlugin = replayable.webpack;
export const rspackPlugin = replayable.rspack;
export default replayable;
