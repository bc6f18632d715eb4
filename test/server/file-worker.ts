// A worker process for in-process `startLambdaServer` tests: imports the handler module named
// on its command line, as it is, and answers invocations. `node --import tsx file-worker.ts <file>`.
import { pathToFileURL } from "node:url";
import { serveInvocations } from "../../server/lambda-api/worker-runtime.js";

void serveInvocations(async () => (await import(pathToFileURL(process.argv[2]!).href)).handler);
