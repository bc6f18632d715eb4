// Builds the console's page into dist/console: one ES module bundle (esbuild), the stylesheet
// and the HTML, copied. No network at run time: nothing is loaded from elsewhere.
// `node console/build.mjs <dir>` builds into another folder (the tests build the current sources).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const out = process.argv[2] ? `${process.argv[2].replace(/\/$/, "")}/` : here("../dist/console/");
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [here("src/main.ts")],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  outfile: `${out}app.js`,
  logLevel: "warning",
});
copyFileSync(here("index.html"), `${out}index.html`);
copyFileSync(here("app.css"), `${out}app.css`);
