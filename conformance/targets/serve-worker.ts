// A worker process of the serve targets: imports the handler module written for its runtime
// (handler-module.ts) and answers invocations as `replayable serve`'s workers do. Started as
// `node --import tsx serve-worker.ts <module path>`.
import { serveInvocations } from "../../server/lambda-api/worker-runtime.js";
import { importHandlerModule } from "../handler-module.js";

void serveInvocations(async () => (await importHandlerModule(process.argv[2]!)).handler as (event: unknown, context: unknown) => Promise<unknown>);
