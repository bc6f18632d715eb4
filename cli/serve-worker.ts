// A worker process of `replayable serve`: loads one function's handler file as Lambda's
// Node.js runtime would (its imports unchanged: @aws/durable-execution-sdk-js is the official
// SDK, replayable is replayable; TypeScript compiled on the way) and answers the invocations
// the server sends. Started by serve.ts with the function as a JSON argument.
import { serveInvocations } from "../server/lambda-api/worker-runtime.js";
import { loadHandlerFile } from "./load-handlers.js";

const { cwd, file, exportName } = JSON.parse(process.argv[2] ?? "{}") as { cwd: string; file: string; exportName: string };

void serveInvocations(async () => {
  const loaded = await loadHandlerFile(cwd, file, "aws");
  const handler = loaded.exports[exportName];
  if (typeof handler !== "function") {
    throw new Error(`${file} has no function export ${exportName} for the Handler to call (its exports: ${loaded.exportNames.join(", ") || "none"}).`);
  }
  return handler as (event: unknown, context: unknown) => Promise<unknown>;
});
