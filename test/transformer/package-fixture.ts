/**
 * Builds the transformer's package entry points (replayable/transformer, /unplugin, /register)
 * into a temporary project's node_modules, as a user would install them, with a chosen
 * TypeScript and ts-patch linked beside them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface Toolchain {
  /** Folder under node_modules holding the TypeScript to use, e.g. "typescript" or "typescript-5.9". */
  readonly typescript: string;
  readonly tsPatch: string;
}

export const TS_6: Toolchain = { typescript: "typescript", tsPatch: "ts-patch" };
export const TS_5_9: Toolchain = { typescript: "typescript-5.9", tsPatch: "ts-patch-3" };

export async function createProject(prefix: string, toolchain: Toolchain = TS_6): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `replayable-${prefix}-`));
  const modules = path.join(dir, "node_modules");
  const pkg = path.join(modules, "replayable");
  fs.mkdirSync(path.join(pkg, "dist/transformer"), { recursive: true });
  await build({
    entryPoints: {
      index: path.join(REPO, "transformer/index.ts"),
      unplugin: path.join(REPO, "transformer/unplugin.ts"),
      register: path.join(REPO, "transformer/register.ts"),
      "node-hooks": path.join(REPO, "transformer/node-hooks.ts"),
      "node-compile": path.join(REPO, "transformer/node-compile.ts"),
      bin: path.join(REPO, "transformer/bin.ts"),
    },
    outdir: path.join(pkg, "dist/transformer"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["typescript", "magic-string", "unplugin", "@jridgewell/remapping"],
    logLevel: "silent",
  });
  fs.writeFileSync(
    path.join(pkg, "package.json"),
    JSON.stringify({
      name: "replayable",
      type: "module",
      exports: {
        "./transformer": "./dist/transformer/index.js",
        "./unplugin": "./dist/transformer/unplugin.js",
        "./register": "./dist/transformer/register.js",
      },
    }),
  );
  const link = (name: string, target: string) => fs.symlinkSync(path.join(REPO, "node_modules", target), path.join(modules, name), "dir");
  link("typescript", toolchain.typescript);
  link("ts-patch", toolchain.tsPatch);
  link("magic-string", "magic-string");
  link("unplugin", "unplugin");
  fs.mkdirSync(path.join(modules, "@jridgewell"), { recursive: true });
  link("@jridgewell/remapping", "@jridgewell/remapping");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fixture-project", private: true, type: "module" }));
  return dir;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}
