import { register } from "node:module";

/**
 * `node --import replayable/register handler.ts`: registers the transformer's module hooks
 * and turns on source maps, so stack traces point at the original TypeScript lines.
 */
process.setSourceMapsEnabled(true);
register("./node-hooks.js", import.meta.url);
