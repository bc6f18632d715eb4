import { createRequire } from "node:module";
import type TypeScript from "typescript";

/**
 * The typescript module, loaded with `require`. An ESM `import` of this CommonJS file first has
 * Node scan its 9 MB for export names, which takes longer than loading it (about half a second
 * per process that imports the analysis: every tsc build with the plugin, every CLI run). Both
 * give the same module instance.
 */
const typescript = createRequire(import.meta.url)("typescript") as typeof TypeScript;

export default typescript;
