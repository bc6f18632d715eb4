import {
  createUnplugin,
  type EsbuildPlugin,
  type RollupPlugin,
  type RspackPluginInstance,
  type UnpluginContextMeta,
  type UnpluginFactory,
  type UnpluginInstance,
  type UnpluginMessage,
  type VitePlugin,
  type WebpackPluginInstance,
} from "unplugin";
import { formatDiagnostic, type TransformDiagnostic } from "./plan.js";
import type { TransformOptions } from "./options.js";
import { transform } from "./transform.js";

export interface UnpluginOptions extends TransformOptions {
  /** Files to transform; default: .ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx outside node_modules. */
  readonly include?: RegExp;
  /** Fail the build on diagnostics of severity "error" (default true); otherwise they are printed as warnings. */
  readonly failOnError?: boolean;
}

const DEFAULT_INCLUDE = /\.[cm]?[jt]sx?$/;

type Framework = UnpluginContextMeta["framework"];

/**
 * Hosts whose `this.error()` records the error and returns, so every error diagnostic of a file
 * is reported on its own. rollup, vite and rolldown throw on the first; the others are not
 * known to collect, so they too get all of a file's errors in one.
 */
const COLLECTS_ERRORS: ReadonlySet<Framework> = new Set<Framework>(["esbuild", "bun", "webpack", "rspack"]);

/** What esbuild needs beyond what unplugin passes on: the line of source of the code frame. */
interface EsbuildDetail {
  readonly replayableLineText: string;
}

/**
 * One diagnostic as a bundler message. Columns in `loc` count from 0, as rollup's and esbuild's
 * do. esbuild prints the location and a code frame itself, so its text leaves them out; the
 * other hosts print only the message, which names the file (from the working directory), line
 * and column. webpack and rspack drop `loc` and `id`.
 */
function toMessage(diagnostic: TransformDiagnostic, framework: Framework, code: string): UnpluginMessage {
  const loc = { file: diagnostic.file, line: diagnostic.line, column: diagnostic.column - 1 };
  if (framework === "esbuild") {
    const meta: EsbuildDetail = { replayableLineText: code.split(/\r?\n/, diagnostic.line)[diagnostic.line - 1] ?? "" };
    return { message: `${diagnostic.category}: ${diagnostic.message}`, loc, meta };
  }
  return { message: formatDiagnostic(diagnostic), id: diagnostic.file, loc };
}

export const unpluginFactory: UnpluginFactory<UnpluginOptions | undefined, false> = (options = {}, meta) => {
  const { include = DEFAULT_INCLUDE, failOnError = true, ...transformOptions } = options;
  const { framework } = meta;
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
      const errors = failOnError ? result.diagnostics.filter((diagnostic) => diagnostic.severity === "error") : [];
      for (const diagnostic of result.diagnostics) {
        // An error demoted by failOnError: false reads as the warning it is reported as.
        if (!errors.includes(diagnostic)) this.warn(toMessage({ ...diagnostic, severity: "warning" }, framework, code));
      }
      if (errors.length > 0) {
        if (COLLECTS_ERRORS.has(framework)) {
          for (const diagnostic of errors) this.error(toMessage(diagnostic, framework, code));
        } else {
          // One error for the file (the host throws on the first), listing every diagnostic, located at the first.
          this.error({ ...toMessage(errors[0]!, framework, code), message: errors.map(formatDiagnostic).join("\n") });
        }
      }
      if (result.code === code) return null;
      return { code: result.code, map: result.map as never };
    },
  };
};

/**
 * unplugin hands esbuild a message's file, line and column but not its line of source, and
 * esbuild prints an empty code frame without it: put it back from the message's detail before
 * esbuild sees the result.
 */
function withLineText(plugin: EsbuildPlugin): EsbuildPlugin {
  return {
    ...plugin,
    setup(build) {
      return plugin.setup({
        ...build,
        onLoad(options, callback) {
          build.onLoad(options, async (args) => {
            const result = await callback(args);
            for (const message of [...(result?.errors ?? []), ...(result?.warnings ?? [])]) {
              const detail = message.detail as Partial<EsbuildDetail> | undefined;
              if (message.location && typeof detail?.replayableLineText === "string") {
                message.location.lineText = detail.replayableLineText;
                delete message.detail;
              }
            }
            return result;
          });
        },
      });
    },
  };
}

const instance = /* #__PURE__ */ createUnplugin(unpluginFactory);

/** `replayable/unplugin`: the transformer for vite, rollup, esbuild, webpack and rspack. */
export const replayable: UnpluginInstance<UnpluginOptions | undefined, false> = {
  ...instance,
  esbuild: (options) => withLineText(instance.esbuild(options)),
};
// Explicit types, so the emitted declarations name unplugin's types instead of inlining names they do not import.
export const vitePlugin: (options?: UnpluginOptions) => VitePlugin = replayable.vite;
export const rollupPlugin: (options?: UnpluginOptions) => RollupPlugin = replayable.rollup;
export const esbuildPlugin: (options?: UnpluginOptions) => EsbuildPlugin = replayable.esbuild;
export const webpackPlugin: (options?: UnpluginOptions) => WebpackPluginInstance = replayable.webpack;
export const rspackPlugin: (options?: UnpluginOptions) => RspackPluginInstance = replayable.rspack;
export default replayable;
