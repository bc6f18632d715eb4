import { register } from "node:module";
import { installCommonJsHook } from "./commonjs-hook.js";

/**
 * `node --import replayable/register handler.ts`: registers the transformer's module hooks,
 * which transform the program's own TypeScript, JSX and JavaScript files (see node-hooks.ts),
 * transforms its CommonJS as require() loads it, and turns on source maps, so stack traces
 * point at the original lines.
 */
process.setSourceMapsEnabled(true);
register("./node-hooks.js", import.meta.url);
installCommonJsHook();
