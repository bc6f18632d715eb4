import { Module } from "node:module";
import { pathToFileURL } from "node:url";
import { DURABLE_MARKER, compileWith, loadCompilerSync, optionsFromEnvironment, ownFile, transformJavaScriptWith, warn } from "./node-compile.js";

interface CompilingModule {
  _compile(code: string, fileName: string, ...rest: unknown[]): unknown;
}
type ExtensionHandler = (this: unknown, module: CompilingModule, fileName: string) => unknown;
type ResolveFilename = (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

let commonJsHookInstalled = false;

/**
 * Transforms the program's CommonJS files as Node's require() loads them (module hooks on Node 20
 * do not see require() from CommonJS): JavaScript with a durable handler, and .cts, compiled.
 * Call it in the thread that runs the program, next to registering the module hooks.
 */
export function installCommonJsHook(): void {
  if (commonJsHookInstalled) return;
  commonJsHookInstalled = true;
  const loader = Module as unknown as { _extensions: Record<string, ExtensionHandler | undefined>; _resolveFilename: ResolveFilename };
  const extensions = loader._extensions;
  // `require("./tax.cjs")` compiled from a .cts written for NodeNext finds `./tax.cts`.
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) {
    try {
      return resolveFilename.call(this, request, parent, ...rest);
    } catch (error) {
      const from = parent?.filename;
      if (!from || !/\.cts$/.test(from) || ownFile(pathToFileURL(from).href) === undefined || !/^\.{1,2}\/.*\.cjs$/.test(request)) throw error;
      try {
        return resolveFilename.call(this, request.replace(/\.cjs$/, ".cts"), parent, ...rest);
      } catch {
        throw error;
      }
    }
  };
  // .cjs and .cts fall back to the .js handler where Node registers none of their own.
  for (const extension of [".js", ".cjs", ".cts"]) {
    const original = extensions[extension];
    if (!original) continue;
    extensions[extension] = function (this: unknown, module: CompilingModule, fileName: string) {
      if (ownFile(pathToFileURL(fileName).href) !== undefined && /\.(?:js|cjs|cts)$/.test(fileName)) {
        // The handler reads the file and checks its format; only the code it compiles changes.
        const compile = module._compile;
        module._compile = function (this: CompilingModule, code: string, file: string, ...rest: unknown[]) {
          module._compile = compile;
          const typescript = /\.cts$/.test(file);
          const served = typescript ? compileCommonJs(code, file) : transformCommonJs(code, file);
          // Node 23+ strips types itself and says so with a format; the code handed on is JavaScript.
          const format = typescript && rest[0] === "commonjs-typescript" ? ["commonjs", ...rest.slice(1)] : rest;
          return compile.call(this, served ?? code, file, ...format);
        };
      }
      return original.call(this, module, fileName);
    };
  }
}

function transformCommonJs(code: string, fileName: string): string | undefined {
  if (!DURABLE_MARKER.test(code)) return undefined;
  const { code: output, diagnostics } = transformJavaScriptWith(loadCompilerSync(), code, fileName, optionsFromEnvironment());
  warn(diagnostics);
  return output;
}

function compileCommonJs(code: string, fileName: string): string {
  const { code: output, diagnostics } = compileWith(loadCompilerSync(), code, fileName, optionsFromEnvironment());
  warn(diagnostics);
  return output;
}
