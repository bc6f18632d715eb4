import { Module } from "node:module";
import { pathToFileURL } from "node:url";
import { DURABLE_MARKER } from "../analysis/durable-marker.js";
import { typescriptTwins, compileWith, loadCompilerSync, optionsFromEnvironment, ownFile, transformJavaScriptWith, warn } from "./node-compile.js";

interface CompilingModule {
  _compile(code: string, fileName: string, ...rest: unknown[]): unknown;
}
type ExtensionHandler = (this: unknown, module: CompilingModule, fileName: string) => unknown;
type ResolveFilename = (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

let commonJsHookInstalled = false;

/** What require() compiles: TypeScript and JSX, as CommonJS whatever the file's package says (require() runs CommonJS). */
const COMPILED_FILE = /\.(?:cts|ts|tsx|jsx)$/;
/** Parents whose relative requires were written for NodeNext (`require("./tax.cjs")` meaning ./tax.cts). */
const TYPESCRIPT_PARENT = /\.(?:[cm]?ts|tsx)$/;

/**
 * Transforms the program's CommonJS files as Node's require() loads them (module hooks on Node 20
 * do not see require() from CommonJS): JavaScript with a durable handler; TypeScript and JSX
 * (.cts, and .ts, .tsx, .jsx in a CommonJS package or reached through require()), compiled.
 * Call it in the thread that runs the program, next to registering the module hooks.
 */
export function installCommonJsHook(): void {
  if (commonJsHookInstalled) return;
  commonJsHookInstalled = true;
  const loader = Module as unknown as { _extensions: Record<string, ExtensionHandler | undefined>; _resolveFilename: ResolveFilename };
  const extensions = loader._extensions;
  // `require("./tax.cjs")` or `require("./helper.js")` compiled from TypeScript written for NodeNext finds `./tax.cts` or `./helper.ts`.
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) {
    try {
      return resolveFilename.call(this, request, parent, ...rest);
    } catch (error) {
      const from = parent?.filename;
      // An .mjs is never require()d as an .mts: require() runs no ES module TypeScript.
      if (!from || !TYPESCRIPT_PARENT.test(from) || ownFile(pathToFileURL(from).href) === undefined || request.endsWith(".mjs")) throw error;
      for (const twin of typescriptTwins(request)) {
        try {
          return resolveFilename.call(this, twin, parent, ...rest);
        } catch {
          // Try the next twin; the error reported is the one for what the file wrote.
        }
      }
      throw error;
    }
  };
  const javascript = extensions[".js"];
  // .ts, .tsx and .jsx are registered (as tsc's CommonJS resolution does), so `require("./helper")`
  // finds helper.ts; .cts and the others fall back to the .js handler where Node registers none of their own.
  for (const extension of [".js", ".cjs", ".cts", ".ts", ".tsx", ".jsx"]) {
    const original = extensions[extension] ?? (extension === ".cts" ? undefined : javascript);
    if (!original) continue;
    extensions[extension] = function (this: unknown, module: CompilingModule, fileName: string) {
      if (ownFile(pathToFileURL(fileName).href) !== undefined && /\.(?:js|cjs|cts|ts|tsx|jsx)$/.test(fileName)) {
        // The handler reads the file and checks its format; only the code it compiles changes.
        const compile = module._compile;
        module._compile = function (this: CompilingModule, code: string, file: string, ...rest: unknown[]) {
          module._compile = compile;
          const compiled = COMPILED_FILE.test(file);
          const served = compiled ? compileCommonJs(code, file) : transformCommonJs(code, file);
          // The code handed on is CommonJS JavaScript, whatever format Node guessed for the file
          // (Node 23+ strips types itself and says "commonjs-typescript" or "module-typescript").
          const format = compiled && typeof rest[0] === "string" ? ["commonjs", ...rest.slice(1)] : rest;
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
  const { code: output, diagnostics } = compileWith(loadCompilerSync(), code, fileName, optionsFromEnvironment(), "commonjs");
  warn(diagnostics);
  return output;
}
