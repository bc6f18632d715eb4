// One process of a requirement whose handler crashes its process (see engine.ts): runs or
// resumes the execution described by the JSON argument on a new engine over an SQLite file.
// Started as `node --import tsx engine-process.ts '<json>'`; exits 1 when the handler calls
// process.exit(1), 2 when the run itself broke.
import { runThisProcess, type ProcessRunRequest } from "./engine.js";

const request = JSON.parse(process.argv[2] ?? "{}") as ProcessRunRequest;
runThisProcess(request).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error)?.stack ?? String(error));
    process.exit(2);
  },
);
