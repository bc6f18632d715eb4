import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLambdaServer, type FunctionDefinition } from "../../server/lambda-api/index.js";
import { readSamTemplate } from "../../server/lambda-api/sam-template.js";
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from "../../server/console-server.js";
import { parseCommand } from "../args.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { interruptSignal } from "../interrupt.js";
import { writeLines, type Io } from "../io.js";
import { openStore, storeLocation } from "../store.js";

export const SERVE_USAGE = `Usage: replayable serve [<file>[#export]...] [--template <template.yaml>] [--port <n>] [--store <path>] [--console <port> | --no-console]

A local Lambda endpoint for durable functions: Invoke (sync and Event, with a qualifier and a
DurableExecutionName) and the durable execution APIs (GetDurableExecution, ...History,
ListDurableExecutionsByFunction, StopDurableExecution, SendDurableExecutionCallback*, and the
Checkpoint/GetState calls a function's runtime makes) over HTTP, as @aws-sdk/client-lambda and
the AWS CLI send them (--endpoint-url http://127.0.0.1:<port>). Executions live in the store
and survive a restart. Each invocation runs the handler in a worker process whose
AWS_ENDPOINT_URL_LAMBDA points back here: the official SDK and replayable's runtime both
checkpoint over HTTP, as on Lambda.

Functions come from files (each one function named after the file, export "handler" unless
#export names another, published as version 1) or from a SAM/CloudFormation template's
AWS::Serverless::Function and AWS::Lambda::Function resources (Handler, CodeUri or a local
Code directory, DurableConfig, Environment, AutoPublishAlias), AWS::Lambda::Version and
AWS::Lambda::Alias.

  --port <n>             the port on 127.0.0.1 (default 9001; 0 picks a free one)
  --template <file>      a SAM or CloudFormation template (YAML or JSON)
  --allow-invoke-latest  let files' functions be invoked unqualified ($LATEST)
  --workers <n>          worker processes per function version at most (default 4)
  --console <port>       the web console's port (default 4700, or a free one when 4700 is taken;
                         0 picks a free one); its URL, with its token, is printed
  --no-console           no web console
  --store <path>         the store: an SQLite file (default .replayable/db.sqlite) or a postgres:// URL, or $REPLAYABLE_STORE

Runs until Ctrl-C. Exit codes: 0 stopped, 2 usage or template error, 4 store unusable.
`;

const WORKER_MODULE = fileURLToPath(new URL("../serve-worker.js", import.meta.url));

export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    args,
    {
      port: { type: "string" },
      template: { type: "string" },
      store: { type: "string" },
      workers: { type: "string" },
      "allow-invoke-latest": { type: "boolean" },
      console: { type: "string" },
      "no-console": { type: "boolean" },
    },
    SERVE_USAGE,
    { min: 0, max: Infinity, what: "" },
  );
  const port = values.port === undefined ? 9001 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port ${values.port}: give a port number (0 to 65535).`, SERVE_USAGE);
  const workers = values.workers === undefined ? 4 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw usageError(`--workers ${values.workers}: give a number of processes, 1 or more.`, SERVE_USAGE);
  if (values.console !== undefined && values["no-console"]) throw usageError("--console and --no-console contradict each other: give one.", SERVE_USAGE);
  const consolePort = values.console === undefined ? undefined : Number(values.console);
  if (consolePort !== undefined && (!Number.isInteger(consolePort) || consolePort < 0 || consolePort > 65535)) throw usageError(`--console ${values.console}: give a port number (0 to 65535).`, SERVE_USAGE);
  const functions = [
    ...positionals.map((spec) => fileFunction(io.cwd, spec, values["allow-invoke-latest"] ?? false)),
    ...(values.template === undefined ? [] : await templateFunctions(io.cwd, values.template)),
  ];
  if (functions.length === 0) throw usageError("no functions: give handler files, or --template <template.yaml>.", SERVE_USAGE);

  const location = storeLocation(io.cwd, values.store, io.env);
  const store = await openStore(location);
  let server;
  try {
    server = await startLambdaServer({
      store,
      functions,
      port,
      workersPerFunction: workers,
      workerCommand: (version) => ({
        module: WORKER_MODULE,
        args: [JSON.stringify({ cwd: io.cwd, file: version.definition.file, exportName: version.definition.exportName })],
        cwd: io.cwd,
      }),
    });
  } catch (error) {
    await store.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw usageError(`port ${port} is in use: pick another with --port.`);
    throw error;
  }
  let webConsole: ConsoleServer | undefined;
  try {
    if (!values["no-console"]) webConsole = await startServeConsole(store, consolePort, server.invocationEnd);
  } catch (error) {
    await server.close();
    await store.close();
    throw error;
  }
  writeLines(io.stdout, [
    `replayable serve: the Lambda API on ${server.url} (store ${location.shown})`,
    ...functions.map((f) => `  ${f.name}  ${f.file}#${f.exportName}  versions ${f.versions.join(", ")}${Object.keys(f.aliases).length ? `, aliases ${Object.entries(f.aliases).map(([a, v]) => `${a} -> ${v}`).join(", ")}` : ""}${f.durableConfig.AllowInvokeLatest ? ", $LATEST" : ""}`),
    `  try: aws lambda invoke --endpoint-url ${server.url} --function-name ${functions[0]!.name}:${functions[0]!.versions[0] ?? "$LATEST"} --payload '{}' out.json  (AWS CLI v2: add --cli-binary-format raw-in-base64-out)`,
    ...(webConsole ? [`  console: ${webConsole.url}`] : []),
    "Ctrl-C to stop; executions stay in the store and continue when serve starts again.",
  ]);
  const interrupt = interruptSignal();
  try {
    await new Promise<void>((resolve) => interrupt.signal.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    interrupt.dispose();
  }
  writeLines(io.stdout, ["replayable serve: stopping"]);
  await webConsole?.close();
  await server.close();
  await store.close();
  return ExitCode.OK;
}

const DEFAULT_CONSOLE_PORT = 4700;

/** The web console on the store serve uses (live as serve commits; its histories know how failed worker invocations ended, as the API's do); on `port`, or on 4700 and a free port when that one is taken. */
async function startServeConsole(store: Awaited<ReturnType<typeof openStore>>, port: number | undefined, invocationEnd: ConsoleServerOptions["invocationEnd"]): Promise<ConsoleServer> {
  const start = (on: number) => startConsoleServer({ store, changeVersion: () => store.dataVersion(), port: on, invocationEnd });
  try {
    return await start(port ?? DEFAULT_CONSOLE_PORT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    if (port !== undefined) throw usageError(`--console ${port}: the port is in use: pick another, or --console 0 for a free one.`);
    return start(0);
  }
}

/** `handlers/orders.ts#process`: the function `orders`, calling the export `process` (default `handler`), version 1. */
function fileFunction(cwd: string, spec: string, allowInvokeLatest: boolean): FunctionDefinition {
  const hash = spec.lastIndexOf("#");
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const exportName = hash > 0 ? spec.slice(hash + 1) : "handler";
  const name = path.basename(file).replace(/\.[^.]+$/, "").replace(/[^A-Za-z0-9_-]/g, "-");
  return { name, file: path.resolve(cwd, file), exportName, durableConfig: { AllowInvokeLatest: allowInvokeLatest }, versions: ["1"], aliases: {} };
}

async function templateFunctions(cwd: string, template: string): Promise<FunctionDefinition[]> {
  try {
    return await readSamTemplate(path.resolve(cwd, template));
  } catch (error) {
    throw usageError(`${template}: ${(error as Error).message}`);
  }
}
